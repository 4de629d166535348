// `npm run sweep`, the one command the README's crontab line runs: it finds the address and the
// cron secret as npm start does, runs the sweep, prints its summary, and fails loudly (non-zero,
// saying why) when the secret is not the server's or nothing answers.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { freePort } from "@/server/free-port";
import { testEnv } from "@/test-support/env";

function sweep(env: Record<string, string | undefined>) {
  const merged: Record<string, string | undefined> = { ...process.env, ...env };
  for (const [name, value] of Object.entries(merged)) if (value === undefined) delete merged[name];
  return spawnSync("npm", ["run", "--silent", "sweep"], {
    cwd: join(import.meta.dirname, ".."),
    env: merged as NodeJS.ProcessEnv,
    encoding: "utf8",
    timeout: 120_000,
  });
}

describe("npm run sweep", () => {
  it("runs the sweep on APP_URL with CRON_SECRET and prints the summary", () => {
    const run = sweep({ APP_URL: testEnv.baseUrl, CRON_SECRET: testEnv.cronSecret });
    expect(run.status, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
    expect(summary).toMatchObject({ done: true });
    expect(summary.runId).toEqual(expect.any(String));
  }, 120_000);

  it("says the secret is not the server's, and exits 1", () => {
    const run = sweep({ APP_URL: testEnv.baseUrl, CRON_SECRET: "not-the-servers-secret-at-all" });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("this CRON_SECRET is not the server's");
  }, 60_000);

  it("says nothing answers, and exits 1", async () => {
    const run = sweep({ APP_URL: `http://127.0.0.1:${await freePort()}`, CRON_SECRET: testEnv.cronSecret });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("cannot reach Keyward");
  }, 60_000);
});
