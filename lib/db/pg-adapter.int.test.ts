// A transaction has one connection, and pg wants one query at a time on it: a query sent while
// another waits is deprecated in pg 8 (a warning, once per process) and an error in pg 9. Key
// changes read the key with its owner, team, issuer and blacklist entry, which Prisma sends as
// four queries at once. Each check runs in a fresh process with --throw-deprecation, so the
// warning (which a process prints only once) fails it every time, as pg 9 would.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { closeTestDb, seedUser, testDb } from "@/test-support/db";

const root = join(import.meta.dirname, "../..");

afterAll(async () => {
  await closeTestDb();
});

/** Runs node with `args` in the test's environment; its exit code and everything it printed. */
async function runNode(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ["--conditions=react-server", "--throw-deprecation", ...args], {
    cwd: root,
    env: process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, "exit")) as [number | null];
  return { code, output };
}

describe("queries inside a transaction", () => {
  it("are sent one at a time: a key issued, rotated and revoked with no query waiting on a busy connection", async () => {
    const db = testDb();
    const owner = await seedUser(db);
    const { code, output } = await runNode(["--import", "tsx", "lib/db/pg-adapter.child.ts", owner.id]);
    expect(output).not.toContain("already executing a query");
    expect(code, output).toBe(0);
    // The work was done, so the check above saw every query it sent.
    const keys = await db.apiKey.findMany({
      where: { userId: owner.id },
      select: { blacklisted: { select: { reason: true } } },
    });
    expect(keys.map((k) => k.blacklisted?.reason).sort()).toEqual(["REVOKED", "ROTATED"]);
  });

  it("would fail the check above if they were not: pg still says so about a connection given three at once", async () => {
    // The same three SELECTs sent at once on one plain pg Client: the first runs, the second
    // waits in pg's queue, and the third finds it waiting.
    const script = `
      import pg from "pg";
      const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await client.connect();
      try {
        await Promise.all([1, 2, 3].map((n) => client.query("SELECT $1::int AS n", [n])));
      } finally {
        await client.end();
      }`;
    const { code, output } = await runNode(["--input-type=module", "-e", script]);
    expect(code).not.toBe(0);
    expect(output).toContain("already executing a query");
  });
});
