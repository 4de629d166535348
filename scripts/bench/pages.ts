// npm run bench:pages – server render time of the portal's busiest pages with N keys in the
// database (default 1,000,000): /admin/keys as an admin, /keys as a user who owns 10,000 keys.
// /admin/usage reads usage counters seeded for a tenth of the keys (at most 50,000) over 48 hours.
// Sequential requests after a warm-up; p50/p95 of the full response time on loopback. Admin
// search (substring of key name, owner address or name, display prefix: trigram indexes) is
// measured with a rare term, an owner's address, one character and a term nothing matches.
// Flags: --keys=N, --runs=N (30), --smoke (20,000 keys, 5 runs: CI checks it still runs).
import pg from "pg";
import { openClient } from "../../prisma/seed/bootstrap";
import { seedUser } from "../../prisma/seed/factories";
import { signIn } from "../../test-support/http";
import { benchDatabase, flag, machine, percentile, runBench, seedKeys, smoke, startBenchApp, verdict } from "./lib";

async function main(): Promise<number> {
  const total = flag("keys", smoke ? 20_000 : 1_000_000);
  const runs = flag("runs", smoke ? 5 : 30);
  const ownKeys = Math.min(10_000, Math.round(total / 100));
  console.log(`bench:pages on ${machine()}: ${total} keys; the user owns ${ownKeys}; ${runs} runs per page`);
  const db = await benchDatabase();
  let stopApp: (() => Promise<void>) | null = null;
  try {
    await seedKeys(db.url, { total: total - ownKeys, users: 1000, known: 0 });
    const client = openClient(db.url);
    const admin = await seedUser(client, { role: "ADMIN" });
    const user = await seedUser(client);
    await client.$disconnect();
    const raw = new pg.Client({ connectionString: db.url });
    await raw.connect();
    await raw.query(
      `INSERT INTO "ApiKey" (id, "userId", name, prefix, last4, hash, scopes, "createdAt", "expiresAt")
       SELECT gen_random_uuid()::text, $1, 'mine-' || i, 'kw_mine', lpad(i::text, 4, '0'), md5('mine' || i) || md5('m' || i), ARRAY['read'],
              now() - (i % 300) * interval '1 day', now() + (i % 400 - 30) * interval '1 day'
       FROM generate_series(1, $2) i`,
      [user.id, ownKeys],
    );
    // Usage counters: a tenth of the keys (at most 50,000) answered every hour of the last two
    // days, one in ten of them refused too; the user's keys once a day for 14 days (sparklines).
    await raw.query(
      `INSERT INTO "KeyUsageHour" ("keyId", hour, outcome, count)
       SELECT k.id, date_trunc('hour', now()) - h * interval '1 hour', o.outcome::"UsageOutcome", 1 + (abs(hashtext(k.id)) % 64)
       FROM (SELECT id FROM "ApiKey" WHERE "userId" <> $2 ORDER BY id LIMIT $1) k
       CROSS JOIN generate_series(0, 47) h
       CROSS JOIN (VALUES ('VALID'), ('RATE_LIMITED')) o(outcome)
       WHERE o.outcome = 'VALID' OR abs(hashtext(k.id)) % 10 = 0`,
      [Math.min(50_000, Math.round(total / 10)), user.id],
    );
    await raw.query(
      `INSERT INTO "KeyUsageHour" ("keyId", hour, outcome, count)
       SELECT k.id, date_trunc('hour', now()) - d * interval '1 day', 'VALID', 1 + d
       FROM "ApiKey" k CROSS JOIN generate_series(0, 13) d WHERE k."userId" = $1`,
      [user.id],
    );
    await raw.query("VACUUM ANALYZE");
    const { rows } = await raw.query<{ n: string }>(`SELECT count(*) AS n FROM "ApiKey"`);
    await raw.end();
    console.log(`database holds ${rows[0]?.n} keys`);

    const app = await startBenchApp(db.url, "bench-pages-server");
    stopApp = () => app.stop();
    const adminSession = await signIn(admin.email, admin.password, app.url);
    const userSession = await signIn(user.email, user.password, app.url);

    const pages = [
      { label: "/admin/keys (admin, first page)", session: adminSession, path: "/admin/keys" },
      { label: "/admin/keys?tab=blacklisted", session: adminSession, path: "/admin/keys?tab=blacklisted" },
      { label: "/admin/keys?q=svc-4242", session: adminSession, path: "/admin/keys?q=svc-4242" },
      { label: "/admin/keys?q=bench-42@ (owner)", session: adminSession, path: "/admin/keys?q=bench-42%40" },
      { label: "/admin/keys?q=7 (one character)", session: adminSession, path: "/admin/keys?q=7" },
      { label: "/admin/keys?q=… (no match)", session: adminSession, path: "/admin/keys?q=no-such-key-zq" },
      { label: "/admin/usage (48 hours)", session: adminSession, path: "/admin/usage" },
      { label: "/admin/usage?hours=168 (7 days)", session: adminSession, path: "/admin/usage?hours=168" },
      { label: `/keys (user with ${ownKeys} keys)`, session: userSession, path: "/keys" },
      { label: "/keys?tab=expiring&sort=expiresAt", session: userSession, path: "/keys?tab=expiring&sort=expiresAt&dir=asc" },
    ];
    let worst = 0;
    console.log(`\n${"page".padEnd(40)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)}  p95 ≤ 300 ms`);
    for (const page of pages) {
      const times: number[] = [];
      for (let i = 0; i < runs + 3; i++) {
        const started = performance.now();
        const response = await page.session.request("GET", page.path);
        await response.text();
        if (response.status !== 200) throw new Error(`${page.path} answered ${response.status}`);
        if (i >= 3) times.push(performance.now() - started);
      }
      const p95 = percentile(times, 95);
      worst = Math.max(worst, p95);
      console.log(
        `${page.label.padEnd(40)} ${percentile(times, 50).toFixed(0).padStart(8)} ${p95.toFixed(0).padStart(8)}  ${p95 <= 300 ? "MET" : "NOT MET"}`,
      );
    }
    console.log(`\n${verdict(worst <= 300, `every page's p95 ≤ 300 ms (worst ${worst.toFixed(0)} ms)`)}`);
    return 0;
  } finally {
    await stopApp?.();
    await db.drop();
  }
}

runBench(main);
