// The quick start's demo data: an admin, a demo user, keys in every state, and a team (the demo
// user owns it, the admin is its admin) with team keys in several states. Made the way the app
// makes them: keys issued, used, revoked, reported leaked and rotated through lib/, the team
// created and joined by invitation, a sweep run; then each change is moved back to when the story
// says it happened (backdate.ts), so every page agrees: history, audit log, notices, outbox,
// usage charts and counters.
//
// It needs lib/'s configuration (DATABASE_URL and the rest of the environment, read once on
// import), so `npm start` runs it in a process of its own (run-demo.ts); tests call it directly.
import type { Actor } from "../../lib/audit/record-audit";
import { prisma } from "../../lib/db/client";
import { blacklistKey } from "../../lib/keys/change/blacklist-key";
import { issueKey, type IssuedKey, type TIssueKeyRequest } from "../../lib/keys/change/issue-key";
import { revokeKey } from "../../lib/keys/change/revoke-key";
import { rotateKey } from "../../lib/keys/change/rotate-key";
import { usageRecorder } from "../../lib/usage/usage-recorder";
import { HOUR_MS, type UsageOutcome } from "../../lib/usage/usage-outcomes";
import { createMailer } from "../../lib/notify/mailer";
import { runSweep } from "../../lib/sweep/run-sweep";
import { acceptInvitation, invite } from "../../lib/teams/invitations";
import { createTeam } from "../../lib/teams/teams";
import {
  backdateChange,
  backdateEmails,
  backdateIssue,
  backdateSweepRun,
  backdateTeam,
  backdateUsers,
} from "./backdate";
import { openClient, type DemoAccounts, type DemoSeed } from "./bootstrap";
import { seedUser } from "./factories";
import { DEMO_USER_EMAIL } from "../../lib/users/demo-accounts";

const DAY = 86_400_000;

/** A key's uses: `perHour(hour)` answers in each hour from `from` to `to` (epoch ms), by outcome. */
interface UsagePlan {
  keyId: string;
  from: number;
  to: number;
  perHour: (hourStart: number, i: number) => Partial<Record<UsageOutcome, number>>;
  /** The client address the gate saw (the key's page shows it). */
  clientIp?: string;
}

/** A small deterministic generator: the same demo every time, not a flat line. */
function wobble(seed: number) {
  let x = seed;
  return (min: number, max: number) => {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    return min + (x % (max - min + 1));
  };
}

/**
 * Writes the plans' answers through the usage recorder's write path, a day at a time (the
 * recorder keeps at most 48 hours per key between flushes). Within an hour the answers are spread
 * over its minutes, the last one at `to`: that is the key's "last used" if it was a success.
 */
async function recordUsage(plans: UsagePlan[]): Promise<void> {
  const start = Math.min(...plans.map((p) => p.from));
  const end = Math.max(...plans.map((p) => p.to));
  for (let dayStart = start - (start % HOUR_MS); dayStart <= end; dayStart += DAY) {
    for (const plan of plans) {
      for (
        let hour = Math.max(dayStart, plan.from - (plan.from % HOUR_MS));
        hour < Math.min(dayStart + DAY, plan.to);
        hour += HOUR_MS
      ) {
        const counts = plan.perHour(hour, Math.round((hour - plan.from) / HOUR_MS));
        for (const [outcome, n] of Object.entries(counts) as [UsageOutcome, number][]) {
          const first = Math.max(hour, plan.from);
          const last = Math.min(hour + HOUR_MS - 1, plan.to);
          for (let k = 0; k < n; k++) {
            const at = n === 1 ? last : first + Math.floor(((last - first) * k) / (n - 1));
            usageRecorder.record(plan.keyId, at, outcome, plan.clientIp ?? null);
          }
        }
      }
    }
    await usageRecorder.flush();
  }
}

export async function seedDemo({ admin, demoPassword, demoEmail = DEMO_USER_EMAIL }: DemoAccounts): Promise<DemoSeed> {
  const now = Date.now();
  const ago = (ms: number) => new Date(now - ms);
  // The accounts come from the factories (the tests' own), on a client of their own.
  const db = openClient(process.env.DATABASE_URL!);
  const [adminUser, demo] = await (async () => {
    try {
      return [
        await seedUser(db, { email: admin.email, password: admin.password, name: "Admin", role: "ADMIN" }),
        await seedUser(db, { email: demoEmail, password: demoPassword, name: "Demo User" }),
      ];
    } finally {
      await db.$disconnect();
    }
  })();
  await backdateUsers([adminUser.id, demo.id], 90 * DAY);
  const asDemo: Actor = { id: demo.id, label: demo.email, ip: "127.0.0.1" };
  const asAdmin: Actor = { id: adminUser.id, label: adminUser.email, ip: "127.0.0.1" };
  const people = { demo: { id: demo.id, emailVerified: true }, admin: { id: adminUser.id, emailVerified: true } };

  /** Issues a key now, through issueKey, then moves its issuing `daysAgo` back. */
  const issue = async (who: keyof typeof people, daysAgo: number, request: TIssueKeyRequest): Promise<IssuedKey> => {
    const since = new Date();
    const issued = await issueKey(people[who], request, who === "demo" ? asDemo : asAdmin);
    await backdateIssue(issued.key.id, since, daysAgo * DAY);
    return issued;
  };
  /** Runs a change now, then moves what it wrote about `keyIds` `daysAgo` back. */
  const past = async <T>(daysAgo: number, keyIds: string[], change: () => Promise<T>): Promise<T> => {
    const since = new Date();
    const result = await change();
    await backdateChange(keyIds, since, daysAgo * DAY);
    return result;
  };

  // The team, 40 days ago; the admin joined by invitation (the link is in the email it sent).
  const teamStarted = new Date();
  const team = await createTeam({ id: demo.id, emailVerified: true }, { name: "Platform" }, asDemo);
  await invite(demo.id, team.id, { email: adminUser.email, role: "ADMIN" }, asDemo);
  const invitation = await waitForEmail(adminUser.email, "TEAM_INVITATION");
  const token = /\/invitations\/([A-Za-z0-9_-]{43})/.exec(invitation.text ?? "")?.[1];
  if (!token) throw new Error("The demo team's invitation email holds no link.");
  const joined = await acceptInvitation(
    token,
    { id: adminUser.id, email: adminUser.email, emailVerified: true },
    "127.0.0.1",
  );
  if (joined.status !== "joined") throw new Error(`The demo admin could not join the team: ${joined.status}.`);
  await backdateTeam(team.id, teamStarted, 40 * DAY);
  await backdateEmails(teamStarted, 40 * DAY, [demo.id, adminUser.id]);

  const days = (n: 7 | 30 | 60 | 90) => ({ type: "days", days: n }) as const;
  const searchIndexer = await issue("demo", 85, { name: "search-indexer", scopes: ["read"], expiry: days(90) });
  const oldImporter = await issue("admin", 39, {
    name: "old-importer",
    scopes: ["read"],
    expiry: days(60),
    teamId: team.id,
  });
  const oldDashboard = await issue("demo", 30 + 1 / 24, { name: "old-dashboard", scopes: ["read"], expiry: days(30) });
  const nightlyExport = await issue("demo", 28, { name: "nightly-export", scopes: ["read"], expiry: days(30) });
  const webhookRelay = await issue("admin", 26, {
    name: "webhook-relay",
    scopes: ["read"],
    expiry: days(30),
    teamId: team.id,
  });
  const stagingCi = await issue("demo", 20, { name: "staging-ci", scopes: ["read"], expiry: days(30) });
  const paymentsApi = await issue("demo", 12, {
    name: "payments-api (prod)",
    scopes: ["read", "write"],
    expiry: days(90),
    teamId: team.id,
  });
  const billingWorker = await issue("demo", 10, {
    name: "billing-worker (prod)",
    scopes: ["read", "write"],
    expiry: days(90),
    rateLimit: { limit: 100, window: "minute" },
  });
  const laptopScript = await issue("demo", 5, { name: "laptop-script", scopes: ["read"], expiry: days(30) });

  // Their uses, each consistent with what happened to the key: refused once revoked, leaked or expired.
  const created = async (key: IssuedKey) =>
    (
      await prisma.apiKey.findUniqueOrThrow({ where: { id: key.key.id }, select: { createdAt: true } })
    ).createdAt.getTime();
  const r = wobble(7);
  const plans: UsagePlan[] = [
    {
      keyId: billingWorker.key.id,
      from: (await created(billingWorker)) + HOUR_MS,
      to: now - 2 * HOUR_MS,
      perHour: (_, i) => (i % 24 === 14 ? { VALID: r(60, 90), RATE_LIMITED: r(3, 8) } : { VALID: r(20, 60) }),
    },
    {
      keyId: paymentsApi.key.id,
      from: (await created(paymentsApi)) + HOUR_MS,
      to: now - 30 * 60_000,
      perHour: () => ({ VALID: r(40, 120) }),
      clientIp: "203.0.113.7",
    },
    {
      keyId: nightlyExport.key.id,
      from: await created(nightlyExport),
      to: now - 10 * HOUR_MS,
      perHour: (h) =>
        new Date(h).getUTCHours() === 2
          ? { VALID: r(110, 130), ...(r(0, 6) === 0 ? { INSUFFICIENT_SCOPE: 1 } : {}) }
          : {},
    },
    {
      keyId: webhookRelay.key.id,
      from: await created(webhookRelay),
      to: now - HOUR_MS,
      perHour: (_, i) => (i % 3 === 0 ? { VALID: r(8, 20) } : {}),
    },
    {
      keyId: searchIndexer.key.id,
      from: await created(searchIndexer),
      to: now - 3 * HOUR_MS,
      perHour: (_, i) => (i % 6 === 0 ? { VALID: r(20, 40) } : {}),
    },
    {
      keyId: stagingCi.key.id,
      from: await created(stagingCi),
      to: now - 2 * DAY - HOUR_MS,
      perHour: (h) => (new Date(h).getUTCHours() % 8 === 3 ? { VALID: r(5, 25) } : {}),
    },
    // A forgotten job tried staging-ci after it was revoked.
    {
      keyId: stagingCi.key.id,
      from: now - 2 * DAY + HOUR_MS,
      to: now - 2 * DAY + 3 * HOUR_MS,
      perHour: () => ({ REVOKED: 2 }),
    },
    {
      keyId: laptopScript.key.id,
      from: await created(laptopScript),
      to: now - DAY - HOUR_MS,
      perHour: (h) => (new Date(h).getUTCHours() % 6 === 1 ? { VALID: r(1, 6) } : {}),
    },
    // After the leak, someone keeps trying the key from the gist.
    {
      keyId: laptopScript.key.id,
      from: now - DAY + HOUR_MS,
      to: now - 20 * 60_000,
      perHour: (_, i) => (i % 2 === 0 ? { REVOKED: r(1, 3) } : {}),
    },
    {
      keyId: oldDashboard.key.id,
      from: await created(oldDashboard),
      to: now - HOUR_MS - 60_000,
      perHour: (_, i) => (i % 4 === 0 ? { VALID: 5 } : {}),
    },
    // The dashboard still calls after its key expired an hour ago: EXPIRED, with a renew link.
    { keyId: oldDashboard.key.id, from: now - HOUR_MS + 60_000, to: now - 5 * 60_000, perHour: () => ({ EXPIRED: 3 }) },
    {
      keyId: oldImporter.key.id,
      from: await created(oldImporter),
      to: now - 3 * DAY - HOUR_MS,
      perHour: (h) => (new Date(h).getUTCHours() === 4 ? { VALID: r(80, 120) } : {}),
    },
  ];
  await recordUsage(plans);

  await past(3, [oldImporter.key.id], () =>
    revokeKey(adminUser.id, oldImporter.key.id, { note: "Replaced by the new import service" }, asAdmin),
  );
  await past(2, [stagingCi.key.id], () => revokeKey(demo.id, stagingCi.key.id, {}, asDemo));
  // The admin pastes the key found in a public gist into the "blacklist a leaked key" form.
  await past(1, [laptopScript.key.id], () =>
    blacklistKey({ key: laptopScript.plaintext, reason: "LEAKED", note: "Found in a public gist" }, asAdmin),
  );

  // The sweep ran two hours ago: reminders for the keys inside a window, the owners' notices of
  // the revocations and the leak, gathered into emails (kept in the outbox: no SMTP for a demo).
  const sweptSince = new Date();
  const sweep = await runSweep({
    trigger: "demo",
    now: ago(2 * HOUR_MS),
    mailer: createMailer(undefined, "Keyward <keyward@localhost>"),
    maxSeconds: 0,
  });
  await backdateSweepRun(sweep.runId, 2 * HOUR_MS);
  await backdateEmails(sweptSince, 2 * HOUR_MS, [demo.id, adminUser.id]);

  // Reminded, the demo user renewed search-indexer just now; the old key works 24 more hours.
  const renewed = await rotateKey(demo.id, searchIndexer.key.id, { grace: "24h" }, asDemo);

  return {
    admin,
    demo: { email: demo.email, password: demo.password },
    keys: [
      { state: "active", name: billingWorker.key.name, plaintext: billingWorker.plaintext },
      { state: "expiring in 2 days", name: nightlyExport.key.name, plaintext: nightlyExport.plaintext },
      { state: "expired, not yet swept", name: oldDashboard.key.name, plaintext: oldDashboard.plaintext },
      { state: "blacklisted (leaked)", name: laptopScript.key.name, plaintext: laptopScript.plaintext },
      { state: "revoked", name: stagingCi.key.name, plaintext: stagingCi.plaintext },
      { state: "rotated, in grace for 1 day", name: searchIndexer.key.name, plaintext: searchIndexer.plaintext },
      { state: "active (replacement)", name: renewed.key.name, plaintext: renewed.plaintext },
      { state: "team Platform, active", name: paymentsApi.key.name, plaintext: paymentsApi.plaintext },
      { state: "team Platform, expiring in 4 days", name: webhookRelay.key.name, plaintext: webhookRelay.plaintext },
      { state: "team Platform, revoked", name: oldImporter.key.name, plaintext: oldImporter.plaintext },
    ],
  };
}

/** The email a change just queued to `to`, once its immediate delivery (sendSoon) has finished with it. */
async function waitForEmail(to: string, kind: "TEAM_INVITATION") {
  for (let i = 0; i < 100; i++) {
    const email = await prisma.emailMessage.findFirst({
      where: { toAddress: to, kind },
      orderBy: { createdAt: "desc" },
    });
    if (email && email.status !== "PENDING" && email.status !== "SENDING") return email;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`No ${kind} email was delivered to the outbox within 5 s.`);
}
