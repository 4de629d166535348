// Two-factor sign-in over real HTTP against the running app: enrolment from the API, sign-in with
// password + code (no session with a missing or wrong one), a code accepted once even when two
// sign-ins race with it, recovery codes once each, codes throttled with the password counters,
// turning it off, new recovery codes, and an admin's reset. Sign-ins go to the locked-down
// server, each test as a client of its own behind its trusted proxy, so wrong codes here count
// against nobody else.
import { randomInt, randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { Browser } from "@/test-support/browser";
import { closeTestDb, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { actAsGitHubUser, type GitHubIdentity } from "@/test-support/fake-github";
import { expectProblemShape, signIn } from "@/test-support/http";
import { currentCode, freshClient, Jar, nextCode, seedTotp, signInWith } from "@/test-support/second-factor";

const db = () => testDb();
afterAll(closeTestDb);

/** Sign-in on the locked-down server as one client (X-Forwarded-For behind its trusted proxy). */
function asClient() {
  const client = freshClient();
  return (fields: { email: string; password: string; otp?: string }) =>
    signInWith(testEnv.limitedUrl, fields, { "x-forwarded-for": client });
}

async function failures(email: string): Promise<number> {
  return (await db().signInThrottle.findUnique({ where: { key: `account:${email}` } }))?.failures ?? 0;
}

describe("enrolment", () => {
  it("a secret and its otpauth URI; a first code turns it on and answers 10 recovery codes, kept only as hashes", async () => {
    const user = await seedUser(db());
    const session = await signIn(user.email, user.password);
    const started = await session.request("POST", "/api/v1/me/2fa/totp");
    expect(started.status).toBe(200);
    const { secret, otpauthUrl } = (await started.json()) as { secret: string; otpauthUrl: string };
    const uri = new URL(otpauthUrl);
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.searchParams.get("secret")).toBe(secret);
    expect(uri.searchParams.get("issuer")).toBe("Keyward");
    expect(decodeURIComponent(uri.pathname)).toContain(user.email);
    // Not on yet: sign-in still takes the password alone.
    expect((await session.request("GET", "/api/v1/me/2fa").then((r) => r.json())) as object).toMatchObject({
      totp: { enabled: false, pending: true },
    });

    const wrong = await session.request("POST", "/api/v1/me/2fa/totp/confirm", {
      code: currentCode(secret, Date.now() - 5 * 60_000),
    });
    expect(wrong.status).toBe(422);
    expectProblemShape(await wrong.json(), 422);

    const confirmed = await session.request("POST", "/api/v1/me/2fa/totp/confirm", { code: currentCode(secret) });
    expect(confirmed.status).toBe(200);
    const { recoveryCodes } = (await confirmed.json()) as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[0-9a-z]{5}-[0-9a-z]{5}$/);

    const row = await db().totpFactor.findUniqueOrThrow({ where: { userId: user.id } });
    expect(row.confirmedAt).not.toBeNull();
    expect(row.secretSealed).not.toContain(secret);
    const hashes = await db().recoveryCode.findMany({ where: { userId: user.id } });
    expect(hashes).toHaveLength(10);
    for (const code of recoveryCodes)
      expect(hashes.some((h) => h.codeHash.includes(code) || h.codeHash.includes(code.replace("-", "")))).toBe(false);
    expect(await session.request("GET", "/api/v1/me/2fa").then((r) => r.json())).toMatchObject({
      totp: { enabled: true, pending: false },
      recoveryCodesLeft: 10,
    });
    // Once on, starting again is refused (turn it off first).
    expect((await session.request("POST", "/api/v1/me/2fa/totp")).status).toBe(409);
    expect(await db().auditEvent.count({ where: { actorId: user.id, action: "user.second_factor_enabled" } })).toBe(1);
  });
});

describe("signing in with a second factor", () => {
  it("the right password alone, or with a wrong code, creates no session; with the code it does", async () => {
    const user = await seedUser(db());
    const { secret } = await seedTotp(db(), user.id);
    const signInAs = asClient();
    expect((await signInAs({ email: user.email, password: user.password })).cookie).toBeNull();
    expect(
      (
        await signInAs({
          email: user.email,
          password: user.password,
          otp: currentCode(secret, Date.now() - 10 * 60_000),
        })
      ).cookie,
    ).toBeNull();
    expect((await signInAs({ email: user.email, password: user.password, otp: "not-a-code" })).cookie).toBeNull();
    // A right code with a wrong password is no better.
    expect(
      (await signInAs({ email: user.email, password: "wrong-password", otp: currentCode(secret) })).cookie,
    ).toBeNull();
    const signedIn = await signInAs({ email: user.email, password: user.password, otp: currentCode(secret) });
    expect(signedIn.cookie).not.toBeNull();
    const me = await new Jar(signedIn.cookie!).request(testEnv.baseUrl, "GET", "/api/v1/me/2fa");
    expect(me.status).toBe(200);
    const failed = await db().auditEvent.findMany({ where: { actorLabel: user.email, action: "auth.sign_in_failed" } });
    expect(failed.map((e) => (e.detail as { reason: string }).reason)).toContain("wrong second factor");
    const ok = await db().auditEvent.findFirstOrThrow({ where: { actorId: user.id, action: "auth.signed_in" } });
    expect(ok.detail).toEqual({ method: "password+totp" });
  });

  it("a code works once: used again within its window, it signs nobody in", async () => {
    const user = await seedUser(db());
    const { secret } = await seedTotp(db(), user.id);
    const signInAs = asClient();
    const code = currentCode(secret);
    expect((await signInAs({ email: user.email, password: user.password, otp: code })).cookie).not.toBeNull();
    expect((await signInAs({ email: user.email, password: user.password, otp: code })).cookie).toBeNull();
    // The next step's code still works (and only after that one, older ones never again).
    expect(
      (await signInAs({ email: user.email, password: user.password, otp: nextCode(secret) })).cookie,
    ).not.toBeNull();
    expect((await signInAs({ email: user.email, password: user.password, otp: code })).cookie).toBeNull();
  });

  it("five sign-ins racing with one code: exactly one gets a session", async () => {
    const user = await seedUser(db());
    const { secret } = await seedTotp(db(), user.id);
    const code = currentCode(secret);
    const attempts = await Promise.all(
      Array.from({ length: 5 }, () => asClient()({ email: user.email, password: user.password, otp: code })),
    );
    expect(attempts.filter((a) => a.cookie !== null)).toHaveLength(1);
  });

  it("a recovery code signs in once, typed in any case and with or without its dash", async () => {
    const user = await seedUser(db());
    const { recoveryCodes } = await seedTotp(db(), user.id);
    const signInAs = asClient();
    const [first, second] = recoveryCodes as [string, string];
    expect(
      (await signInAs({ email: user.email, password: user.password, otp: first.toUpperCase() })).cookie,
    ).not.toBeNull();
    expect((await signInAs({ email: user.email, password: user.password, otp: first })).cookie).toBeNull();
    const signedIn = await signInAs({
      email: user.email,
      password: user.password,
      otp: ` ${second.replace("-", "")} `,
    });
    expect(signedIn.cookie).not.toBeNull();
    expect(
      await new Jar(signedIn.cookie!).request(testEnv.baseUrl, "GET", "/api/v1/me/2fa").then((r) => r.json()),
    ).toMatchObject({ recoveryCodesLeft: 8 });
  });

  it("wrong codes count like wrong passwords; only a full sign-in clears the count, and a locked account takes no code", async () => {
    const user = await seedUser(db());
    const { secret } = await seedTotp(db(), user.id);
    const signInAs = asClient();
    for (let i = 0; i < 3; i++) await signInAs({ email: user.email, password: user.password, otp: "000000" });
    expect(await failures(user.email)).toBe(3);
    // The right password without a code changes nothing: it is not a success.
    await signInAs({ email: user.email, password: user.password });
    expect(await failures(user.email)).toBe(3);
    expect(
      (await signInAs({ email: user.email, password: user.password, otp: currentCode(secret) })).cookie,
    ).not.toBeNull();
    expect(await failures(user.email)).toBe(0);

    // Past the free failures the account waits, and a right code meanwhile is refused unread.
    const other = asClient();
    for (let i = 0; i < 7; i++) await other({ email: user.email, password: user.password, otp: "000000" });
    expect(await failures(user.email)).toBeGreaterThanOrEqual(6);
    // As if it had gone on to 9 just now, so the wait outlasts the next request however slow
    // this machine is (a refused attempt does not count, so the wait only grows between them).
    await db().signInThrottle.update({
      where: { key: `account:${user.email.toLowerCase()}` },
      data: { failures: 9, lastAt: new Date() },
    });
    expect((await other({ email: user.email, password: user.password, otp: nextCode(secret) })).cookie).toBeNull();
    const refused = await db().auditEvent.findFirst({
      where: { actorLabel: user.email, action: "auth.sign_in_failed" },
      orderBy: { at: "desc" },
    });
    expect((refused?.detail as { reason: string }).reason).toBe("throttled");
  });
});

describe("GitHub sign-in", () => {
  it("is held for an account with a second factor: no session until the factor is given", async () => {
    const user = await seedUser(db());
    await seedTotp(db(), user.id);
    const gh: GitHubIdentity = {
      id: randomInt(1, 2 ** 31),
      login: `gh-${randomUUID().slice(0, 8)}`,
      name: "Octo",
      publicEmail: null,
      emails: [{ email: user.email, verified: true, primary: true }],
    };
    await db().account.create({ data: { userId: user.id, provider: "github", providerAccountId: String(gh.id) } });
    await actAsGitHubUser(testEnv.githubUrl, gh);
    const browser = new Browser();
    const visit = await browser.signInWithGitHub();
    // The second step itself is tested in lib/auth/github.int.test.ts.
    expect(new URL(visit.url).searchParams.get("held")).toBe("github");
    expect(browser.signedIn).toBe(false);
  });
});

describe("managing the factor", () => {
  it("turning it off needs a current code or a recovery code; then the password alone signs in", async () => {
    const user = await seedUser(db());
    const { recoveryCodes } = await seedTotp(db(), user.id);
    const signInAs = asClient();
    const session = new Jar(
      (await signInAs({ email: user.email, password: user.password, otp: recoveryCodes[0] })).cookie!,
    );
    const wrong = await session.request(testEnv.baseUrl, "DELETE", "/api/v1/me/2fa/totp", { code: "000000" });
    expect(wrong.status).toBe(422);
    expect(
      (await session.request(testEnv.baseUrl, "DELETE", "/api/v1/me/2fa/totp", { code: recoveryCodes[0] })).status,
    ).toBe(422); // spent
    const off = await session.request(testEnv.baseUrl, "DELETE", "/api/v1/me/2fa/totp", { code: recoveryCodes[1] });
    expect(off.status).toBe(200);
    expect(await db().totpFactor.count({ where: { userId: user.id } })).toBe(0);
    expect(await db().recoveryCode.count({ where: { userId: user.id } })).toBe(0);
    expect((await signInAs({ email: user.email, password: user.password })).cookie).not.toBeNull();
    expect((await session.request(testEnv.baseUrl, "DELETE", "/api/v1/me/2fa/totp", { code: "000000" })).status).toBe(
      409,
    );
  });

  it("new recovery codes replace the old ones", async () => {
    const user = await seedUser(db());
    const { secret, recoveryCodes } = await seedTotp(db(), user.id);
    const signInAs = asClient();
    const session = new Jar(
      (await signInAs({ email: user.email, password: user.password, otp: currentCode(secret) })).cookie!,
    );
    const made = await session.request(testEnv.baseUrl, "POST", "/api/v1/me/2fa/recovery-codes");
    expect(made.status).toBe(200);
    const fresh = ((await made.json()) as { recoveryCodes: string[] }).recoveryCodes;
    expect(fresh).toHaveLength(10);
    expect(fresh.filter((c) => recoveryCodes.includes(c))).toEqual([]);
    expect((await signInAs({ email: user.email, password: user.password, otp: recoveryCodes[2] })).cookie).toBeNull();
    expect((await signInAs({ email: user.email, password: user.password, otp: fresh[0] })).cookie).not.toBeNull();
  });

  it("a user without a factor cannot make recovery codes or confirm what was never started", async () => {
    const user = await seedUser(db());
    const session = await signIn(user.email, user.password);
    expect((await session.request("POST", "/api/v1/me/2fa/recovery-codes")).status).toBe(409);
    expect((await session.request("POST", "/api/v1/me/2fa/totp/confirm", { code: "123456" })).status).toBe(409);
  });

  it("a password change keeps the browser signed in without asking the code again", async () => {
    const user = await seedUser(db());
    const { secret } = await seedTotp(db(), user.id);
    const session = new Jar(
      (await asClient()({ email: user.email, password: user.password, otp: currentCode(secret) })).cookie!,
    );
    const changed = await session.request(testEnv.baseUrl, "POST", "/api/v1/me/password", {
      currentPassword: user.password,
      password: "a-new-long-password",
    });
    expect(changed.status).toBe(200);
    expect((await session.request(testEnv.baseUrl, "GET", "/api/v1/me/2fa")).status).toBe(200);
    // And the new password still needs the code.
    expect((await asClient()({ email: user.email, password: "a-new-long-password" })).cookie).toBeNull();
  });
});

describe("an admin's reset", () => {
  it("removes the factor, ends the user's sessions, is audited and emails the user", async () => {
    const user = await seedUser(db());
    const admin = await seedUser(db(), { role: "ADMIN" });
    const { secret } = await seedTotp(db(), user.id);
    const userSession = new Jar(
      (await asClient()({ email: user.email, password: user.password, otp: currentCode(secret) })).cookie!,
    );
    expect((await userSession.request(testEnv.baseUrl, "GET", "/api/v1/me/2fa")).status).toBe(200);
    const adminSession = await signIn(admin.email, admin.password);
    const listed = (await adminSession
      .request("GET", `/api/v1/admin/users?q=${encodeURIComponent(user.email)}`)
      .then((r) => r.json())) as { items: { id: string; twoFactor: boolean }[] };
    expect(listed.items.find((u) => u.id === user.id)?.twoFactor).toBe(true);

    const reset = await adminSession.request("POST", `/api/v1/admin/users/${user.id}/2fa/reset`);
    expect(reset.status).toBe(200);
    expect(await db().totpFactor.count({ where: { userId: user.id } })).toBe(0);
    expect((await userSession.request(testEnv.baseUrl, "GET", "/api/v1/me/2fa")).status).toBe(401);
    const audit = await db().auditEvent.findFirstOrThrow({
      where: { action: "user.second_factor_reset", actorId: admin.id },
    });
    expect(audit.detail).toMatchObject({ userId: user.id });
    const email = await db().emailMessage.findFirstOrThrow({ where: { userId: user.id, kind: "SECOND_FACTOR_RESET" } });
    expect(email.subject).toContain("two-factor");
    expect((await asClient()({ email: user.email, password: user.password })).cookie).not.toBeNull();
    expect((await adminSession.request("POST", `/api/v1/admin/users/${user.id}/2fa/reset`)).status).toBe(409);
    // Someone who is not an admin cannot.
    const other = await seedUser(db());
    const otherSession = await signIn(other.email, other.password);
    expect((await otherSession.request("POST", `/api/v1/admin/users/${admin.id}/2fa/reset`)).status).toBe(403);
  });
});
