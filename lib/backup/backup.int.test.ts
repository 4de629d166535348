// npm run db:backup while npm start serves on the embedded database under verify load, then
// npm run db:restore into a fresh data folder, and a Keyward started there: every key answers
// exactly as before (valid, expired, revoked, leaked, rotated in grace, team keys), the accounts
// sign in with their passwords, and the secrets kept beside the database came back with it.
// Also: a restore never overwrites a database, and refuses a backup cut short.
import { mkdtempSync, readFileSync, rmSync, truncateSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { signIn } from "@/test-support/http";
import { runScript, startKeyward, stopKeyward } from "@/test-support/npm-start";

// The load below comes from one client: no per-client limit, usage written every second.
const EMBEDDED = {
  DATABASE_URL: undefined,
  SEED_DEMO: "true",
  USAGE_FLUSH_INTERVAL_MS: "1000",
  VERIFY_RATE_LIMIT: "0",
};

async function answer(url: string, key: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/api/v1/keys/verify`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ key }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** What must not change across a backup and restore: the answer's verdict and the key it names. */
const verdict = ({ status, body }: { status: number; body: Record<string, unknown> }) => ({
  status,
  code: body.code,
  valid: body.valid,
  keyId: body.keyId,
  reason: body.reason,
});

describe("npm run db:backup and db:restore (embedded database)", () => {
  it("backs up under verify load without stopping the server; restored into a fresh folder, every key answers as before", async () => {
    const work = mkdtempSync(join(tmpdir(), "keyward-backup-"));
    const file = join(work, "keyward.backup");
    try {
      const app = await startKeyward(join(work, "data"), EMBEDDED);
      const keys = [...app.log().matchAll(/^ {4}(\S.*?) +(kw_[0-9A-Za-z]{36})$/gm)].map((m) => ({
        label: m[1]!,
        key: m[2]!,
      }));
      const passwords = Object.fromEntries(
        [...app.log().matchAll(/^ {4}(?:admin|demo user) +(\S+@keyward\.local) \/ (\S+)$/gm)].map((m) => [
          m[1]!,
          m[2]!,
        ]),
      );
      expect(keys.length, app.log()).toBeGreaterThanOrEqual(8);
      expect(Object.keys(passwords)).toHaveLength(2);
      let before: ReturnType<typeof verdict>[];
      let loadAnswers = 0;
      const loadFailures: string[] = [];
      try {
        const raw = await Promise.all(keys.map(({ key }) => answer(app.url, key)));
        before = raw.map(verdict);
        expect(new Set(before.map((b) => b.code))).toEqual(new Set(["VALID", "EXPIRED", "REVOKED"]));

        // Four callers verify the working keys without pause while the backup runs beside them
        // (not the one with a rate limit of its own: its refusals would be right, and noise).
        const working = keys
          .filter((_, i) => raw[i]!.body.code === "VALID" && raw[i]!.body.ratelimit === undefined)
          .map((k) => k.key);
        expect(working.length).toBeGreaterThan(0);
        let loading = true;
        const load = Array.from({ length: 4 }, async (_, n) => {
          for (let i = n; loading; i++) {
            const got = await answer(app.url, working[i % working.length]!).catch((error: Error) => ({
              status: 0,
              body: { error: error.message } as Record<string, unknown>,
            }));
            if (got.status === 200 && got.body.code === "VALID") loadAnswers++;
            else loadFailures.push(JSON.stringify(got));
          }
        });
        await new Promise((r) => setTimeout(r, 500));
        const atStart = loadAnswers;
        const backedUp = runScriptAsync(app.env, "db:backup", [file]);
        const result = await backedUp;
        const duringBackup = loadAnswers - atStart;
        loading = false;
        await Promise.all(load);
        expect(result.status, result.stderr + result.stdout).toBe(0);
        expect(result.stdout).toMatch(/Backed up \d+ rows of \d+ tables from the running server/);
        expect(loadFailures).toEqual([]);
        expect(duringBackup, "verifications answered while the backup ran").toBeGreaterThan(0);
        expect(statSync(file).mode & 0o777).toBe(0o600);
        expect(app.child.exitCode).toBeNull();
      } finally {
        await stopKeyward(app);
      }
      const authSecret = readFileSync(join(work, "data", "auth-secret"), "utf8");

      // A restore never overwrites: the folder just backed up holds a database.
      const refused = runScript({ env: { ...app.env } }, "db:restore", [file]);
      expect(refused.status).not.toBe(0);
      expect(refused.stderr).toContain("already holds a database");

      const fresh = join(work, "restored");
      const restored = runScript({ env: { ...app.env, KEYWARD_DATA_DIR: fresh } }, "db:restore", [file]);
      expect(restored.status, restored.stderr + restored.stdout).toBe(0);
      expect(readFileSync(join(fresh, "auth-secret"), "utf8")).toBe(authSecret);

      const again = await startKeyward(fresh, EMBEDDED);
      try {
        expect(again.log()).not.toContain("Demo accounts (created just now"); // the restored data, not a new seed
        const after = await Promise.all(keys.map(async ({ key }) => verdict(await answer(again.url, key))));
        expect(after).toEqual(before);
        for (const [email, password] of Object.entries(passwords)) await signIn(email, password, again.url);
      } finally {
        await stopKeyward(again);
      }

      // A backup cut short (a full disk, a copy interrupted) is refused, not half restored.
      truncateSync(file, Math.floor(statSync(file).size / 2));
      const cut = runScript({ env: { ...app.env, KEYWARD_DATA_DIR: join(work, "from-cut") } }, "db:restore", [file]);
      expect(cut.status).not.toBe(0);
      expect(cut.stderr).toMatch(/cut short|not a readable Keyward backup/);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 420_000);
});

/** runScript, without blocking this process: the load above must keep running meanwhile. */
async function runScriptAsync(
  env: NodeJS.ProcessEnv,
  script: string,
  args: string[],
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const { spawn } = await import("node:child_process");
  const child = spawn("npm", ["run", "--silent", script, "--", ...args], {
    cwd: join(import.meta.dirname, "../.."),
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const status = await new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  return { status, stdout, stderr };
}
