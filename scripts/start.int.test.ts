// `npm start` stopped the way process managers stop it: SIGTERM to the top process (Docker,
// systemd without KillMode=control-group) and SIGTERM to the whole process group (a terminal's
// Ctrl-C, systemd's default). Either way every process is gone within 10 s and the usage counts
// buffered in memory reach the database first. Repeated, because the failure was a race.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "@/scripts/lib/free-port";
import { closeTestDb, seedKey, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { verify } from "@/test-support/http";

const ROUNDS = 3;
const VERIFICATIONS = 7;

afterAll(closeTestDb);

/** Process ids in a process group (npm and everything it started). */
function groupMembers(pgid: number): number[] {
  const out = spawnSync("pgrep", ["-g", String(pgid)], { encoding: "utf8" }).stdout;
  return out.split("\n").filter(Boolean).map(Number);
}

async function startKeyward(dataDir: string) {
  const port = await freePort();
  const child = spawn("npm", ["start"], {
    cwd: join(import.meta.dirname, ".."),
    detached: true, // its own process group, as a service manager would start it
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: testEnv.databaseUrl,
      PORT: String(port),
      APP_URL: `http://127.0.0.1:${port}`,
      KEYWARD_DATA_DIR: dataDir,
      SEED_DEMO: "false",
      // Nothing is written until the stop: the counts exist only in the server's memory.
      USAGE_FLUSH_INTERVAL_MS: "600000",
    },
  });
  let log = "";
  child.stdout!.on("data", (chunk: Buffer) => (log += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const deadline = Date.now() + 90_000;
  while (!log.includes("Keyward is running")) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${log}`);
    if (Date.now() > deadline) throw new Error(`npm start did not come up:\n${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { child, pgid: child.pid!, url: `http://127.0.0.1:${port}`, log: () => log };
}

async function waitUntilGone(pgid: number, withinMs: number): Promise<number> {
  const started = Date.now();
  while (groupMembers(pgid).length > 0) {
    if (Date.now() - started > withinMs) return -1;
    await new Promise((r) => setTimeout(r, 100));
  }
  return Date.now() - started;
}

describe("stopping npm start", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "keyward-stop-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  for (const target of ["the top process", "the process group"] as const) {
    it(`SIGTERM to ${target}: every process stops within 10 s, usage flushed first (${ROUNDS} rounds)`, async () => {
      const owner = await seedUser(testDb());
      for (let round = 1; round <= ROUNDS; round++) {
        const key = await seedKey(testDb(), { userId: owner.id });
        const app = await startKeyward(dataDir);
        for (let i = 0; i < VERIFICATIONS; i++) expect((await verify(key.plaintext, undefined, app.url)).body.code).toBe("VALID");
        expect(groupMembers(app.pgid).length).toBeGreaterThan(2); // npm, start.ts, the server

        process.kill(target === "the top process" ? app.pgid : -app.pgid, "SIGTERM");
        const tookMs = await waitUntilGone(app.pgid, 10_000);
        expect(tookMs, `round ${round}: still running after 10 s:\n${app.log()}`).toBeGreaterThanOrEqual(0);
        const row = await testDb().apiKey.findUniqueOrThrow({ where: { id: key.id }, select: { usageCount: true, lastUsedAt: true } });
        expect(Number(row.usageCount), `round ${round}:\n${app.log()}`).toBe(VERIFICATIONS);
        expect(row.lastUsedAt).not.toBeNull();
        // Nothing answers on the port any more.
        await expect(fetch(`${app.url}/api/ping`)).rejects.toThrow();
      }
    }, 240_000);
  }
});
