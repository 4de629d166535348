// node --conditions=react-server --import tsx scripts/bench/session-check.ts [--runs=N]
// What the per-request session check costs since sessions have rows (lib/sessions): the check as
// it was (the user by id, version compared) against the check as it is (the user by id and the
// live session row as a condition of the same statement), sequential calls of the real functions
// on a migrated PostgreSQL database with 1,000 users and 5,000 sessions. p50/p95 per check, in
// milliseconds; two reads side by side and one joined statement in raw SQL for comparison.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { benchDatabase, flag, machine, percentile, runBench } from "./lib";

async function timed(runs: number, check: (i: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 200; i++) await check(i); // warm-up: pool, prepared plans
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await check(i);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times;
}

async function main(): Promise<number> {
  const runs = flag("runs", 5000);
  console.log(`bench:session-check on ${machine()}: ${runs} sequential checks each`);
  const db = await benchDatabase();
  try {
    const raw = new pg.Client({ connectionString: db.url });
    await raw.connect();
    const users: { id: string; session: string }[] = [];
    for (let u = 0; u < 1000; u++) {
      const id = randomUUID();
      await raw.query(`INSERT INTO "User" (id, email, "emailVerifiedAt") VALUES ($1, $2, now())`, [
        id,
        `bench-${u}@example.test`,
      ]);
      for (let s = 0; s < 5; s++) {
        const session = randomUUID();
        await raw.query(
          `INSERT INTO "UserSession" (id, "userId", method, "sessionVersion", device) VALUES ($1, $2, 'credentials', 1, 'bench')`,
          [session, id],
        );
        if (s === 0) users.push({ id, session });
      }
    }
    await raw.end();
    process.env.DATABASE_URL = db.url;
    const { findAuthenticatedUser, findSessionUser } = await import("../../lib/users/authenticate");
    const pick = (i: number) => users[i % users.length]!;
    const before = await timed(runs, async (i) => {
      const user = await findAuthenticatedUser(pick(i).id);
      if (user?.sessionVersion !== 1) throw new Error("bench user missing");
    });
    const after = await timed(runs, async (i) => {
      if (!(await findSessionUser(pick(i).id, 1, { sessionId: pick(i).session, ip: null })))
        throw new Error("bench session missing");
    });
    const { prisma } = await import("../../lib/db/client");
    // For comparison only: the row and the user read side by side (two statements), and one
    // joined statement in raw SQL.
    const sideBySide = await timed(runs, async (i) => {
      const [user, row] = await Promise.all([
        findAuthenticatedUser(pick(i).id),
        prisma.userSession.findUnique({ where: { id: pick(i).session } }),
      ]);
      if (!user || !row) throw new Error("bench session missing");
    });
    const joined = await timed(runs, async (i) => {
      const rows = await prisma.$queryRaw<{ id: string }[]>`
        SELECT u.id, u.email, u.name, u.role, u."emailVerifiedAt", u."sessionVersion", s."lastSeenAt"
        FROM "UserSession" s JOIN "User" u ON u.id = s."userId"
        WHERE s.id = ${pick(i).session} AND u.id = ${pick(i).id} AND s."endedAt" IS NULL AND u."deletedAt" IS NULL`;
      if (rows.length !== 1) throw new Error("bench session missing");
    });
    const row = (name: string, t: number[]) =>
      `${name.padEnd(36)} p50 ${percentile(t, 50).toFixed(3)} ms   p95 ${percentile(t, 95).toFixed(3)} ms`;
    console.log(row("user only (before session rows)", before));
    console.log(row("user + session row (now)", after));
    console.log(row("two reads side by side (not used)", sideBySide));
    console.log(row("raw joined SQL (not used)", joined));
    console.log(`p50 ratio now/before: ${(percentile(after, 50) / percentile(before, 50)).toFixed(2)}`);
    await prisma.$disconnect();
    return 0;
  } finally {
    await db.drop();
  }
}

runBench(main);
