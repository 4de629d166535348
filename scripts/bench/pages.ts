// npm run bench:pages – server render time of the portal's busiest pages with N keys in the
// database (default 1,000,000): /admin/keys as an admin, /keys as a user who owns 10,000 keys.
// /admin/usage reads usage counters seeded for a tenth of the keys (at most 50,000) over 48 hours.
// Sequential requests after a warm-up; p50/p95 of the full response time on loopback. Admin
// search (substring of key name, owner address or name, display prefix: trigram indexes) is
// measured with a rare term, an owner's address, one character and a term nothing matches.
// The same pages are timed in the same run on a small database (--small, 10,000 keys, seeded the
// same way), page by page beside the large one, so the growth of each page with the number of
// keys is printed as a ratio that a busy machine shifts less than the times themselves.
// Flags: --keys=N, --small=N (0: no small run), --runs=N (30), --smoke (20,000 and 2,000 keys,
// 5 runs: CI checks it still runs).
import pg from "pg";
import { openClient } from "../../prisma/seed/bootstrap";
import { seedUser } from "../../prisma/seed/factories";
import { signIn, type Session } from "../../test-support/http";
import {
  benchDatabase,
  flag,
  machine,
  percentile,
  runBench,
  seedKeys,
  smoke,
  startBenchApp,
  verdict,
  type BenchDatabase,
} from "./lib";

/** Every page's p95 must stay under this, at any size. */
const P95_TARGET_MS = 300;
/** The usage page's p95 on the large database over the small one's, at most: constant in the keys. */
const GROWTH_TARGET = 1.5;

interface Login {
  email: string;
  password: string;
}

interface Seeded {
  keys: number;
  ownKeys: number;
  db: BenchDatabase;
  admin: Login;
  user: Login;
}

interface Site extends Omit<Seeded, "admin" | "user"> {
  admin: Session;
  user: Session;
}

/** `total` keys: the bench's owners, an admin, and a user owning a hundredth of them (at most 10,000). */
async function seedSite(total: number): Promise<Seeded> {
  const ownKeys = Math.min(10_000, Math.round(total / 100));
  const db = await benchDatabase();
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
  // Their sums, site-wide and per owner, as the usage flush keeps them (and the migration made
  // them from counters written before it): the counters above were written around the flush.
  await raw.query(
    `INSERT INTO "UsageSumHour" ("ownerId", hour, outcome, count)
     SELECT CASE WHEN GROUPING(COALESCE(k."userId", k."teamId")) = 1 THEN '' ELSE COALESCE(k."userId", k."teamId") END,
            u.hour, u.outcome, sum(u.count)
     FROM "KeyUsageHour" u JOIN "ApiKey" k ON k.id = u."keyId"
     GROUP BY GROUPING SETS ((u.hour, u.outcome), (COALESCE(k."userId", k."teamId"), u.hour, u.outcome))`,
  );
  await raw.query("VACUUM ANALYZE");
  const { rows } = await raw.query<{ n: string }>(`SELECT count(*) AS n FROM "ApiKey"`);
  await raw.end();
  console.log(`database holds ${rows[0]?.n} keys`);
  return { keys: total, ownKeys, db, admin, user };
}

async function timePage(session: Session, path: string, runs: number): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < runs + 3; i++) {
    const started = performance.now();
    const response = await session.request("GET", path);
    await response.text();
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
    if (i >= 3) times.push(performance.now() - started);
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

async function main(): Promise<number> {
  const total = flag("keys", smoke ? 20_000 : 1_000_000);
  const smallTotal = flag("small", smoke ? 2_000 : 10_000);
  const runs = flag("runs", smoke ? 5 : 30);
  console.log(
    `bench:pages on ${machine()}: ${total} keys${smallTotal ? ` beside ${smallTotal}` : ""}; ${runs} runs per page`,
  );
  const stops: (() => Promise<void>)[] = [];
  const drops: (() => Promise<void>)[] = [];
  try {
    const sites: Site[] = [];
    for (const keys of smallTotal ? [total, smallTotal] : [total]) {
      const seeded = await seedSite(keys);
      drops.push(() => seeded.db.drop());
      const app = await startBenchApp(seeded.db.url, `bench-pages-server-${keys}`);
      stops.push(() => app.stop());
      sites.push({
        ...seeded,
        admin: await signIn(seeded.admin.email, seeded.admin.password, app.url),
        user: await signIn(seeded.user.email, seeded.user.password, app.url),
      });
    }
    const [large, small] = sites as [Site, Site | undefined];

    const pages: { label: string; as: "admin" | "user"; path: string; growth?: true }[] = [
      { label: "/admin/keys (admin, first page)", as: "admin", path: "/admin/keys" },
      { label: "/admin/keys?tab=blacklisted", as: "admin", path: "/admin/keys?tab=blacklisted" },
      { label: "/admin/keys?q=svc-4242", as: "admin", path: "/admin/keys?q=svc-4242" },
      { label: "/admin/keys?q=bench-42@ (owner)", as: "admin", path: "/admin/keys?q=bench-42%40" },
      { label: "/admin/keys?q=7 (one character)", as: "admin", path: "/admin/keys?q=7" },
      { label: "/admin/keys?q=… (no match)", as: "admin", path: "/admin/keys?q=no-such-key-zq" },
      { label: "/admin/usage (48 hours)", as: "admin", path: "/admin/usage", growth: true },
      { label: "/admin/usage?hours=168 (7 days)", as: "admin", path: "/admin/usage?hours=168", growth: true },
      { label: `/keys (user with ${large.ownKeys} keys)`, as: "user", path: "/keys" },
      { label: "/keys?tab=expiring&sort=expiresAt", as: "user", path: "/keys?tab=expiring&sort=expiresAt&dir=asc" },
    ];
    const verdicts: string[] = [];
    let worst = 0;
    const head = `${"page".padEnd(40)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)}`;
    console.log(
      `\n${head}  p95 ≤ ${P95_TARGET_MS} ms${small ? `  ${`at ${small.keys}: p50`.padStart(14)} ${"p95".padStart(6)} ${"ratio".padStart(6)}` : ""}`,
    );
    for (const page of pages) {
      // Small then large, page by page: the two sizes see the same moment of a shared machine.
      const few = small ? await timePage(small[page.as], page.path, runs) : null;
      const many = await timePage(large[page.as], page.path, runs);
      worst = Math.max(worst, many.p95);
      const ratio = few ? many.p95 / few.p95 : null;
      console.log(
        `${page.label.padEnd(40)} ${many.p50.toFixed(0).padStart(8)} ${many.p95.toFixed(0).padStart(8)}  ${(many.p95 <= P95_TARGET_MS ? "MET" : "NOT MET").padEnd(14)}${few ? `${few.p50.toFixed(0).padStart(8)} ${few.p95.toFixed(0).padStart(6)} ${ratio!.toFixed(2).padStart(6)}` : ""}`,
      );
      if (page.growth && ratio !== null) {
        verdicts.push(
          verdict(
            ratio <= GROWTH_TARGET,
            `${page.label}: p95 at ${large.keys} keys ≤ ${GROWTH_TARGET} × at ${small!.keys} (${many.p95.toFixed(0)} / ${few!.p95.toFixed(0)} ms = ${ratio.toFixed(2)})`,
          ),
        );
      }
    }
    console.log(
      `\n${verdict(worst <= P95_TARGET_MS, `every page's p95 ≤ ${P95_TARGET_MS} ms (worst ${worst.toFixed(0)} ms)`)}`,
    );
    for (const line of verdicts) console.log(line);
    return 0;
  } finally {
    for (const stop of stops) await stop();
    for (const drop of drops) await drop();
  }
}

runBench(main);
