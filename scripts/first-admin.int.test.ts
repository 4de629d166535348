// A site started in production without ADMIN_EMAIL gets its first admin while it serves on the
// embedded database: `npm run user:admin` talks to the running server's database instead of
// refusing because the server holds it. And the demo accounts a quick start made (their passwords
// sit in a terminal's scroll-back) keep a production start from serving until
// `npm run db:remove-demo` has removed them.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openClient } from "@/prisma/seed/bootstrap";
import { seedUser } from "@/test-support/db";
import { signIn, verify } from "@/test-support/http";
import { exitOf, launchKeyward, runScript, startKeyward, stopKeyward } from "@/test-support/npm-start";

const EMBEDDED = { DATABASE_URL: undefined, SEED_DEMO: undefined };

/** A client on a running server's embedded database, through the socket folder its banner names. */
function embeddedClient(log: string) {
  const host = /host=(\S+) user=postgres/.exec(log)?.[1];
  if (!host) throw new Error(`npm start did not name its socket folder:\n${log}`);
  return openClient(`postgres://postgres@localhost:5432/postgres?host=${encodeURIComponent(host)}&sslmode=disable`);
}

const confirmReset = (baseUrl: string, token: string, password: string) =>
  fetch(`${baseUrl}/api/v1/password-reset/confirm`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token, password }),
  });

describe("the first admin, made while npm start serves on the embedded database", () => {
  it("npm run user:admin -- <address>: a verified admin (a new address gets a link to set its password), the server serving throughout", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "keyward-first-admin-"));
    try {
      const app = await startKeyward(dataDir, EMBEDDED);
      try {
        expect(app.log()).toContain("No admin yet");
        // An address without an account: made an admin, with a one-time link printed here to
        // choose its password (the operator's console is the only place it appears).
        const email = `first-admin-${randomUUID().slice(0, 8)}@example.test`;
        const made = runScript(app, "user:admin", [email]);
        expect(made.status, made.stderr + made.stdout).toBe(0);
        const link = /https?:\/\/\S+\/reset-password\?token=[\w-]+/.exec(made.stdout)?.[0];
        expect(link, made.stdout).toBeDefined();
        expect(new URL(link!).origin).toBe(app.url);
        expect(
          (await confirmReset(app.url, new URL(link!).searchParams.get("token")!, "first-admin-password")).status,
        ).toBe(200);
        const admin = await signIn(email, "first-admin-password", app.url);
        const listed = await admin.request("GET", `/api/v1/admin/users?q=${encodeURIComponent(email)}`);
        expect(listed.status).toBe(200);
        expect(((await listed.json()) as { items: unknown[] }).items).toEqual([
          expect.objectContaining({ email, role: "ADMIN", emailVerified: true }),
        ]);

        // Someone who signed up and could not verify (without SMTP the link waits in an outbox
        // only an admin reads): the operator vouches for the address by making them admin.
        const db = embeddedClient(app.log());
        try {
          const someone = await seedUser(db, { verified: false });
          const promoted = runScript(app, "user:admin", [someone.email]);
          expect(promoted.status, promoted.stderr + promoted.stdout).toBe(0);
          expect(promoted.stdout).not.toContain("reset-password"); // they have a password
          expect(await db.user.findUniqueOrThrow({ where: { email: someone.email } })).toMatchObject({
            role: "ADMIN",
            emailVerifiedAt: expect.any(Date),
          });
          const session = await signIn(someone.email, someone.password, app.url);
          expect((await session.request("GET", "/api/v1/admin/users")).status).toBe(200);
          expect(
            await db.auditEvent.count({ where: { actorLabel: "npm run user:admin", action: "user.role_changed" } }),
          ).toBe(2);
          // An admin who lost the password, on a site that sends no email: a link on the console.
          const relinked = runScript(app, "user:admin", [someone.email, "--password-link"]);
          expect(relinked.status, relinked.stderr + relinked.stdout).toBe(0);
          const token = /\/reset-password\?token=([\w-]+)/.exec(relinked.stdout)?.[1];
          expect(token, relinked.stdout).toBeDefined();
          expect((await confirmReset(app.url, token!, "a-recovered-password")).status).toBe(200);
          await signIn(someone.email, "a-recovered-password", app.url);
        } finally {
          await db.$disconnect();
        }
        expect((await fetch(`${app.url}/api/health`)).status).toBe(200);
        expect(app.child.exitCode).toBeNull();
      } finally {
        await stopKeyward(app);
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 240_000);
});

describe("demo accounts and production", () => {
  it("a production start refuses a database that holds the demo accounts, naming npm run db:remove-demo; after it, it serves and the demo credentials are dead", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "keyward-demo-removal-"));
    try {
      const quick = await startKeyward(dataDir, { NODE_ENV: undefined, ...EMBEDDED });
      const demoPassword = /demo user +demo@keyward\.local \/ (\S+)/.exec(quick.log())?.[1];
      const demoKey = /^ +active +(\S+)$/m.exec(quick.log())?.[1];
      expect(demoPassword, quick.log()).toBeDefined();
      expect(demoKey, quick.log()).toBeDefined();
      await stopKeyward(quick);

      const refused = await launchKeyward(dataDir, EMBEDDED);
      expect(await exitOf(refused)).not.toBe(0);
      expect(refused.log()).toContain("demo@keyward.local");
      expect(refused.log()).toContain("npm run db:remove-demo");

      const removed = runScript(refused, "db:remove-demo");
      expect(removed.status, removed.stderr + removed.stdout).toBe(0);
      expect(removed.stdout).toContain("demo@keyward.local");

      const app = await startKeyward(dataDir, EMBEDDED);
      try {
        expect((await verify(demoKey!, undefined, app.url)).body.code).toBe("REVOKED");
        await expect(signIn("demo@keyward.local", demoPassword!, app.url)).rejects.toThrow(/sign-in failed/);
        const db = embeddedClient(app.log());
        try {
          expect(await db.user.count({ where: { email: { in: ["admin@keyward.local", "demo@keyward.local"] } } })).toBe(
            0,
          );
          expect(await db.team.count({ where: { slug: "platform" } })).toBe(0);
          expect(
            await db.auditEvent.count({
              where: { action: "user.account_deleted", actorLabel: "npm run db:remove-demo" },
            }),
          ).toBe(2);
        } finally {
          await db.$disconnect();
        }
      } finally {
        await stopKeyward(app);
      }
      // Removed once, it stays removed: a second run finds nothing to do.
      const again = runScript(refused, "db:remove-demo");
      expect(again.status, again.stderr + again.stdout).toBe(0);
      expect(again.stdout).toContain("No demo accounts");
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 360_000);
});
