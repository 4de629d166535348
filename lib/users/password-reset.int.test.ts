// Password recovery over HTTP: the same answer (and time) whether or not an address has an
// account, a single-use link valid for an hour that is stored only as a hash, throttling per
// address and per client, a used link ending every session without signing anyone in, and an
// admin sending a link from the users' list. Every step is in the audit log.
import { createHash, randomInt, randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { closeTestDb, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { expectProblemShape, signIn, sleep } from "@/test-support/http";

afterAll(closeTestDb);

const address = () => `reset-${randomUUID().slice(0, 8)}@example.test`;
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

function post(
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
  baseUrl = testEnv.baseUrl,
): Promise<Response> {
  return fetch(`${baseUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}
const requestReset = (email: string, headers?: Record<string, string>, baseUrl?: string) =>
  post("/api/v1/password-reset", { email }, headers, baseUrl);
const confirmReset = (token: string, password: string) => post("/api/v1/password-reset/confirm", { token, password });

/** The reset emails to an address, once they have left the outbox. */
async function resetEmails(to: string, count = 1) {
  for (let i = 0; i < 50; i++) {
    const emails = await testDb().emailMessage.findMany({
      where: { toAddress: to, kind: "PASSWORD_RESET" },
      orderBy: { createdAt: "asc" },
    });
    if (emails.length >= count && emails.every((e) => e.status !== "PENDING" && e.status !== "SENDING")) return emails;
    await sleep(100);
  }
  throw new Error(`fewer than ${count} reset emails to ${to}`);
}

const tokenIn = (text: string | null) => /\/reset-password\?token=([A-Za-z0-9_-]+)/.exec(text ?? "")?.[1] ?? "";

async function resetToken(email: string): Promise<string> {
  expect((await requestReset(email)).status).toBe(202);
  const [sent] = await resetEmails(email);
  return tokenIn(sent!.text);
}

describe("asking for a reset link", () => {
  it("answers the same 202 whether or not the address has an account; only an account gets a link, single-use, valid an hour, stored as a hash", async () => {
    const user = await seedUser(testDb());
    const nobody = address();
    const known = await requestReset(user.email.toUpperCase());
    const unknown = await requestReset(nobody);
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(await known.text()).toBe(await unknown.text());
    expect([...known.headers.keys()].filter((h) => h !== "date")).toEqual(
      [...unknown.headers.keys()].filter((h) => h !== "date"),
    );

    const [sent] = await resetEmails(user.email);
    expect(sent!.status).toBe("STORED"); // no SMTP in this run: Admin → Outbox holds it
    expect(sent!.subject).toContain("Reset your password");
    const token = tokenIn(sent!.text);
    expect(token.length).toBeGreaterThanOrEqual(43); // 256 random bits
    const row = await testDb().emailToken.findFirstOrThrow({ where: { userId: user.id, purpose: "RESET_PASSWORD" } });
    expect(row.tokenHash).toBe(sha256(token));
    // createdAt is the database's clock, expiresAt the app's: an hour apart, give or take.
    expect(Math.abs(row.expiresAt.getTime() - row.createdAt.getTime() - 3_600_000)).toBeLessThan(5_000);

    await sleep(300);
    expect(await testDb().emailMessage.count({ where: { toAddress: nobody } })).toBe(0);
    const audit = await testDb().auditEvent.findMany({
      where: { action: "user.password_reset_requested", actorLabel: { in: [user.email, nobody] } },
    });
    expect(audit.map((e) => [e.actorLabel, (e.detail as { account: boolean }).account]).sort()).toEqual(
      [
        [user.email, true],
        [nobody, false],
      ].sort(),
    );
  });

  it("takes as long for an address without an account as for one with", async () => {
    const users = await Promise.all([1, 2, 3].map(() => seedUser(testDb())));
    const timed = async (email: string) => {
      const started = performance.now();
      const response = await requestReset(email);
      await response.text();
      expect(response.status).toBe(202);
      return performance.now() - started;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (const user of users) {
        known.push(await timed(user.email));
        unknown.push(await timed(address()));
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    // The answer waits for the throttle only, which is the same work for every address; the
    // lookup and the email happen after it.
    expect(
      Math.abs(median(known) - median(unknown)),
      `known ${known.map(Math.round)} unknown ${unknown.map(Math.round)}`,
    ).toBeLessThan(30);
  });

  it("is throttled per address: the fourth request within an hour is 429, whether or not the address has an account", async () => {
    const user = await seedUser(testDb());
    for (const email of [user.email, address()]) {
      const statuses: number[] = [];
      let refusal: Response | undefined;
      for (let i = 0; i < 4; i++) {
        refusal = await requestReset(email);
        statuses.push(refusal.status);
      }
      expect(statuses).toEqual([202, 202, 202, 429]);
      expect(Number(refusal!.headers.get("retry-after"))).toBeGreaterThan(0);
      expectProblemShape(await refusal!.json(), 429);
    }
    expect(await resetEmails(user.email, 3)).toHaveLength(3);
  });

  it("is throttled per client, whatever the addresses (behind a trusted proxy, each client counted alone)", async () => {
    const client = `198.18.${randomInt(0, 255)}.${randomInt(1, 255)}`;
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++)
      statuses.push((await requestReset(address(), { "x-forwarded-for": client }, testEnv.limitedUrl)).status);
    expect(statuses).toEqual([...Array(10).fill(202), 429]);
    expect(
      (
        await requestReset(
          address(),
          { "x-forwarded-for": `198.18.${randomInt(0, 255)}.${randomInt(1, 255)}` },
          testEnv.limitedUrl,
        )
      ).status,
    ).toBe(202);
  });
});

describe("using a reset link", () => {
  it("sets the password once, ends every session of the account, and signs nobody in", async () => {
    const user = await seedUser(testDb());
    const before = await signIn(user.email, user.password);
    expect((await before.request("GET", "/api/v1/me/preferences")).status).toBe(200);
    const token = await resetToken(user.email);

    // A weak password is refused, and the link still works after.
    const weak = await confirmReset(token, "short");
    expect(weak.status).toBe(422);
    expect(JSON.stringify(await weak.json())).toContain("Use at least 8 characters");
    // Only JSON: a cross-site form cannot post here.
    const form = await fetch(`${testEnv.baseUrl}/api/v1/password-reset/confirm`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token, password: "a-new-long-password" }).toString(),
    });
    expect(form.status).toBe(415);

    const done = await confirmReset(token, "a-new-long-password");
    expect(done.status).toBe(200);
    expect(done.headers.getSetCookie()).toEqual([]);
    expect((await before.request("GET", "/api/v1/me/preferences")).status).toBe(401);
    await expect(signIn(user.email, user.password)).rejects.toThrow(/sign-in failed/);
    const after = await signIn(user.email, "a-new-long-password");
    expect((await after.request("GET", "/api/v1/me/preferences")).status).toBe(200);

    const again = await confirmReset(token, "yet-another-password");
    expect(again.status).toBe(410);
    const gone = (await again.json()) as { code: string };
    expectProblemShape(gone, 410);
    expect(gone.code).toBe("GONE");

    const audit = await testDb().auditEvent.findMany({
      where: { actorId: user.id, action: { in: ["user.password_reset", "user.sessions_ended"] } },
    });
    expect(audit.map((e) => e.action).sort()).toEqual(["user.password_reset", "user.sessions_ended"]);
    expect(audit.find((e) => e.action === "user.sessions_ended")!.detail).toMatchObject({ reason: "password reset" });
  });

  it("an expired link answers 410 and changes nothing; so does one that never existed", async () => {
    const user = await seedUser(testDb());
    const token = await resetToken(user.email);
    await testDb().emailToken.updateMany({
      where: { userId: user.id, purpose: "RESET_PASSWORD" },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect((await confirmReset(token, "a-new-long-password")).status).toBe(410);
    expect((await confirmReset("x".repeat(43), "a-new-long-password")).status).toBe(410);
    await signIn(user.email, user.password); // the old password still works
  });

  it("a link sets a first password on an account without one (GitHub only), and proves an unverified address", async () => {
    const email = address();
    const user = await testDb().user.create({
      data: { email, name: "Octo", passwordHash: null, emailVerifiedAt: null },
      select: { id: true },
    });
    const token = await resetToken(email);
    expect((await confirmReset(token, "a-first-password")).status).toBe(200);
    await signIn(email, "a-first-password");
    expect((await testDb().user.findUniqueOrThrow({ where: { id: user.id } })).emailVerifiedAt).not.toBeNull();
  });
});

describe("an admin sends a reset link", () => {
  it("POST /api/v1/admin/users/:id/password-reset: the user gets a link that says an admin sent it, audited; a user gets 403, an unknown id 404", async () => {
    const [admin, user, other] = await Promise.all([
      seedUser(testDb(), { role: "ADMIN" }),
      seedUser(testDb()),
      seedUser(testDb()),
    ]);
    const session = await signIn(admin.email, admin.password);
    const sent = await session.request("POST", `/api/v1/admin/users/${user.id}/password-reset`);
    expect(sent.status).toBe(202);
    expect(await sent.json()).toEqual({ sent: true });
    const [email] = await resetEmails(user.email);
    expect(email!.text).toContain("An admin");
    expect((await confirmReset(tokenIn(email!.text), "set-after-admin-sent-it")).status).toBe(200);
    await signIn(user.email, "set-after-admin-sent-it");
    expect(
      await testDb().auditEvent.count({
        where: { action: "user.password_reset_sent", actorId: admin.id, detail: { path: ["userId"], equals: user.id } },
      }),
    ).toBe(1);

    const asUser = await signIn(other.email, other.password);
    expect((await asUser.request("POST", `/api/v1/admin/users/${user.id}/password-reset`)).status).toBe(403);
    expect((await session.request("POST", `/api/v1/admin/users/${randomUUID()}/password-reset`)).status).toBe(404);
  });
});
