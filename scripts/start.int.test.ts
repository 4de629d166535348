// `npm start` stopped the way process managers stop it: SIGTERM to the top process (Docker,
// systemd without KillMode=control-group) and SIGTERM to the whole process group (a terminal's
// Ctrl-C, systemd's default). Either way every process is gone within 10 s and the usage counts
// buffered in memory reach the database first. Repeated, because the failure was a race.
import { spawnSync } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { closeTestDb, seedKey, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { verify } from "@/test-support/http";
import { baseEnv, groupMembers, startKeyward, stopKeyward, waitUntilGone, type Env } from "@/test-support/npm-start";

const ROUNDS = 3;
const VERIFICATIONS = 7;

afterAll(closeTestDb);

describe("stopping npm start", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "keyward-stop-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  for (const target of ["the top process", "the process group"] as const) {
    it(`SIGTERM to ${target}: every process stops within 10 s, usage counted on the fast path flushed first (${ROUNDS} rounds)`, async () => {
      const owner = await seedUser(testDb());
      for (let round = 1; round <= ROUNDS; round++) {
        const key = await seedKey(testDb(), { userId: owner.id });
        const app = await startKeyward(dataDir);
        for (let i = 0; i < VERIFICATIONS; i++)
          expect((await verify(key.plaintext, undefined, app.url)).body.code).toBe("VALID");
        // Those verifications went through the server's fast path, in front of Next.
        expect(app.log()).toContain("verify answered by the fast path");
        expect(groupMembers(app.pgid).length).toBeGreaterThan(2); // npm, start.ts, the server

        if (target === "the top process") process.kill(app.pgid, "SIGTERM");
        else {
          // A group signal reaches the server from the group and again from its parent; the
          // second must not cut the flush short (it did: once, not on).
          process.kill(-app.pgid, "SIGTERM");
          process.kill(-app.pgid, "SIGTERM");
        }
        const tookMs = await waitUntilGone(app.pgid, 10_000);
        expect(tookMs, `round ${round}: still running after 10 s:\n${app.log()}`).toBeGreaterThanOrEqual(0);
        const row = await testDb().apiKey.findUniqueOrThrow({
          where: { id: key.id },
          select: { usageCount: true, lastUsedAt: true },
        });
        expect(Number(row.usageCount), `round ${round}:\n${app.log()}`).toBe(VERIFICATIONS);
        expect(row.lastUsedAt).not.toBeNull();
        // Nothing answers on the port any more.
        await expect(fetch(`${app.url}/api/ping`)).rejects.toThrow();
      }
    }, 240_000);
  }
});

describe("what npm start sets up", () => {
  it("in production on the embedded database: no demo data, no default admin, and it says how to make one", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "keyward-prod-"));
    try {
      const app = await startKeyward(dataDir, { DATABASE_URL: undefined, SEED_DEMO: undefined });
      try {
        expect(app.log()).not.toContain("Demo accounts");
        expect(app.log()).not.toContain("keyward-admin");
        expect(app.log()).toContain("No admin yet");
        const signIn = await fetch(`${app.url}/api/auth/csrf`);
        expect(signIn.status).toBe(200);
      } finally {
        await stopKeyward(app);
      }
      // The data folder is this user's alone.
      const loose = spawnSync(
        "find",
        [dataDir, "(", "-type", "d", "-perm", "/077", ")", "-o", "(", "-type", "f", "-perm", "/077", ")"],
        { encoding: "utf8" },
      ).stdout.trim();
      expect(loose).toBe("");
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);

  it("outside production on the embedded database: demo accounts with random passwords, shown again by npm run demo:credentials", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "keyward-demo-"));
    const env = { NODE_ENV: undefined, DATABASE_URL: undefined, SEED_DEMO: undefined };
    try {
      const app = await startKeyward(dataDir, env);
      let passwords: string[];
      try {
        passwords = [...app.log().matchAll(/(?:admin|demo user) +\S+@keyward\.local \/ (\S+)/g)].map((m) => m[1]!);
        expect(passwords).toHaveLength(2);
        for (const password of passwords) expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);
        // The credentials are printed once the server listens: after the line that says so.
        expect(app.log().indexOf("serving on")).toBeLessThan(app.log().indexOf("Demo accounts"));
      } finally {
        await stopKeyward(app);
      }
      // The banner is gone; the command shows them again, and checks them while Keyward is stopped.
      const commandEnv: Env = { ...baseEnv(), KEYWARD_DATA_DIR: dataDir };
      delete commandEnv.DATABASE_URL;
      const shown = spawnSync("npm", ["run", "--silent", "demo:credentials"], {
        cwd: join(import.meta.dirname, ".."),
        env: commandEnv as NodeJS.ProcessEnv,
        encoding: "utf8",
      });
      expect(shown.status, shown.stderr).toBe(0);
      for (const password of passwords)
        expect(shown.stdout).toMatch(new RegExp(`@keyward\\.local / ${password}  \\(works\\)`));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);

  it("with its port taken: says so, without a stack trace, before printing anything else, and exits", async () => {
    const taken = createServer((_req, res) => res.end("someone else")).listen(0, "127.0.0.1");
    await new Promise((r) => taken.once("listening", r));
    const port = (taken.address() as AddressInfo).port;
    try {
      const started = Date.now();
      const run = spawnSync("npm", ["start"], {
        cwd: join(import.meta.dirname, ".."),
        env: {
          ...baseEnv(),
          NODE_ENV: "production",
          DATABASE_URL: testEnv.databaseUrl,
          PORT: String(port),
          SEED_DEMO: "false",
        } as NodeJS.ProcessEnv,
        encoding: "utf8",
        timeout: 60_000,
      });
      const output = `${run.stdout}${run.stderr}`;
      expect(run.status, output).toBe(1);
      expect(output).toContain(`port ${port} is in use`);
      expect(output).toContain(`PORT=${port + 1} npm start`);
      expect(output).not.toContain("Keyward is running");
      expect(output).not.toMatch(/\n\s+at /);
      expect(Date.now() - started).toBeLessThan(30_000);
    } finally {
      taken.close();
    }
  }, 90_000);

  it("reads DATABASE_URL and the first admin from a .env file, for every step", async () => {
    const configDir = mkdtempSync(join(tmpdir(), "keyward-env-"));
    const dataDir = mkdtempSync(join(tmpdir(), "keyward-envdata-"));
    const adminEmail = `env-admin-${Date.now()}@example.test`;
    writeFileSync(
      join(configDir, ".env"),
      `DATABASE_URL=${testEnv.databaseUrl}\nADMIN_EMAIL=${adminEmail}\nADMIN_PASSWORD=from-the-env-file\n`,
    );
    try {
      const app = await startKeyward(dataDir, { DATABASE_URL: undefined, KEYWARD_CONFIG_DIR: configDir });
      try {
        expect(app.log()).toContain("Database: DATABASE_URL");
        expect(app.log()).toContain(`Admin account created: ${adminEmail}`);
        // The admin landed in that database, and the server (which read the same file) signs them in.
        expect(await testDb().user.count({ where: { email: adminEmail, role: "ADMIN" } })).toBe(1);
        const csrf = await fetch(`${app.url}/api/auth/csrf`);
        const { csrfToken } = (await csrf.json()) as { csrfToken: string };
        const cookie = csrf.headers
          .getSetCookie()
          .map((c) => c.split(";")[0])
          .join("; ");
        const signedIn = await fetch(`${app.url}/api/auth/callback/credentials`, {
          method: "POST",
          redirect: "manual",
          headers: { "content-type": "application/x-www-form-urlencoded", cookie },
          body: new URLSearchParams({
            csrfToken,
            email: adminEmail,
            password: "from-the-env-file",
            callbackUrl: "/keys",
          }),
        });
        expect(signedIn.headers.getSetCookie().some((c) => c.includes("session-token="))).toBe(true);
      } finally {
        await stopKeyward(app);
      }
    } finally {
      rmSync(configDir, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
