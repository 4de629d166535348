// Passkeys over real HTTP against the running app, with a software authenticator that signs for
// real (test-support/software-authenticator.ts): registering, listing, renaming and removing
// them; signing in with one alone through next-auth's "passkey" provider; and every refusal an
// attacker would try — garbage, a forged signature, a challenge used twice or expired, another
// account's passkey or challenge, another origin or RP id, no user verification, a cloned
// authenticator — each one refused, audited, and leaving no session.
import { randomInt, randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { Browser, type Visit } from "@/test-support/browser";
import { closeTestDb, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { expectProblemShape, signIn, type Session } from "@/test-support/http";
import { SoftwareAuthenticator, type Tamper } from "@/test-support/software-authenticator";
import { CLIENT_POLICY } from "@/lib/auth/throttle";
import { authenticationOptions, provePasskey } from "./authenticate-passkey";

afterAll(closeTestDb);

const originOf = (url: string) => new URL(url).origin;

async function newAccount(baseUrl = testEnv.baseUrl, verified = true) {
  const user = await seedUser(testDb(), { verified });
  const session = await signIn(user.email, user.password, baseUrl);
  return { user, session, authenticator: new SoftwareAuthenticator(originOf(baseUrl)) };
}

async function registrationOptions(session: Session) {
  const response = await session.request("POST", "/api/v1/me/passkeys/options");
  expect(response.status).toBe(200);
  return response.json();
}

async function addPasskey(
  session: Session,
  authenticator: SoftwareAuthenticator,
  name: string,
  tamper: Tamper = {},
): Promise<Response> {
  const response = authenticator.register(await registrationOptions(session), tamper);
  return session.request("POST", "/api/v1/me/passkeys", { response, name });
}

async function signInOptions(browser: Browser) {
  const response = await browser.json("POST", "/api/v1/passkeys/options");
  expect(response.status).toBe(200);
  return response.json();
}

/** The passkey provider's endpoint, as the sign-in page's server action calls it. */
async function passkeySignIn(browser: Browser, assertion: unknown): Promise<Visit> {
  return browser.post("/api/auth/callback/passkey", {
    csrfToken: await browser.csrfToken(),
    assertion: typeof assertion === "string" ? assertion : JSON.stringify(assertion),
    callbackUrl: "/keys",
  });
}

async function lastSignInFailure(since: Date, label?: string) {
  return testDb().auditEvent.findFirst({
    where: { action: "auth.sign_in_failed", at: { gte: since }, ...(label ? { actorLabel: label } : {}) },
    orderBy: { at: "desc" },
  });
}

/** Signs in with `assertion` and checks it was refused, with no session and the reason audited. */
async function expectRefused(assertion: unknown, reason: RegExp, browser = new Browser()) {
  const since = new Date();
  const visit = await passkeySignIn(browser, assertion);
  expect(browser.signedIn).toBe(false);
  expect(new URL(visit.url).pathname).toBe("/sign-in");
  const failures = await testDb().auditEvent.findMany({ where: { action: "auth.sign_in_failed", at: { gte: since } } });
  expect(failures.map((f) => (f.detail as { reason?: string }).reason).some((r) => reason.test(r ?? ""))).toBe(true);
}

describe("registering passkeys", () => {
  it("asks for a discoverable credential with user verification, excludes the account's passkeys, and keeps two", async () => {
    const { session, authenticator, user } = await newAccount();
    const first = await registrationOptions(session);
    expect(first.rp.id).toBe(new URL(testEnv.baseUrl).hostname);
    expect(first.authenticatorSelection).toMatchObject({ residentKey: "required", userVerification: "required" });
    expect(first.excludeCredentials).toEqual([]);
    const added = await session.request("POST", "/api/v1/me/passkeys", {
      response: authenticator.register(first),
      name: "Laptop",
    });
    expect(added.status).toBe(201);
    const laptop = await added.json();
    expect(laptop).toMatchObject({
      name: "Laptop",
      lastUsedAt: null,
      deviceType: "singleDevice",
      transports: ["internal"],
    });

    const second = await registrationOptions(session);
    expect(second.excludeCredentials.map((c: { id: string }) => c.id)).toEqual([
      authenticator.credentials[0]!.id.toString("base64url"),
    ]);
    // A browser refuses an authenticator that already holds one of the excluded credentials.
    expect(() => authenticator.register(second)).toThrow(/InvalidStateError/);
    const phone = new SoftwareAuthenticator(originOf(testEnv.baseUrl));
    expect(
      (await session.request("POST", "/api/v1/me/passkeys", { response: phone.register(second), name: "Phone" }))
        .status,
    ).toBe(201);

    const list = await (await session.request("GET", "/api/v1/me/passkeys")).json();
    expect(list.items.map((p: { name: string }) => p.name)).toEqual(["Laptop", "Phone"]);
    const stored = await testDb().passkey.findMany({ where: { userId: user.id } });
    expect(stored.map((p) => p.credentialId).sort()).toEqual(
      [...authenticator.credentials, ...phone.credentials].map((c) => c.id.toString("base64url")).sort(),
    );
    expect(await testDb().auditEvent.count({ where: { action: "user.passkey_added", actorId: user.id } })).toBe(2);
  });

  it("refuses an answer to a used, expired or another account's challenge, from another origin or RP id, or without user verification", async () => {
    const { session, authenticator, user } = await newAccount();
    // Each attempt on an authenticator of its own: the account's passkey is excluded from then on.
    const fresh = () => new SoftwareAuthenticator(originOf(testEnv.baseUrl));
    const refusedWith = async (response: Response, words: RegExp) => {
      expect(response.status).toBe(400);
      const body = await response.json();
      expectProblemShape(body, 400);
      expect(body.detail).toMatch(words);
    };
    // Used twice: the same answer again.
    const options = await registrationOptions(session);
    const answer = authenticator.register(options);
    expect((await session.request("POST", "/api/v1/me/passkeys", { response: answer, name: "Once" })).status).toBe(201);
    await refusedWith(
      await session.request("POST", "/api/v1/me/passkeys", { response: answer, name: "Twice" }),
      /challenge is unknown, used or expired/,
    );
    // Expired.
    const stale = await registrationOptions(session);
    await testDb().webAuthnChallenge.update({
      where: { challenge: stale.challenge },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    await refusedWith(
      await session.request("POST", "/api/v1/me/passkeys", { response: fresh().register(stale), name: "Stale" }),
      /challenge/,
    );
    // Another account's challenge: it answers for the other account only.
    const other = await newAccount();
    const theirs = await registrationOptions(other.session);
    await refusedWith(
      await session.request("POST", "/api/v1/me/passkeys", { response: fresh().register(theirs), name: "Theirs" }),
      /challenge/,
    );
    // Another origin, another RP id, no user verification, the wrong ceremony.
    await refusedWith(
      await addPasskey(session, fresh(), "Evil origin", { origin: "https://keyward.evil.example" }),
      /origin/i,
    );
    await refusedWith(await addPasskey(session, fresh(), "Evil RP", { rpId: "evil.example" }), /RP ID/i);
    await refusedWith(await addPasskey(session, fresh(), "No UV", { userVerified: false }), /verif/i);
    await refusedWith(await addPasskey(session, fresh(), "Wrong type", { type: "webauthn.get" }), /type/i);
    expect((await testDb().passkey.findMany({ where: { userId: user.id } })).map((p) => p.name)).toEqual(["Once"]);
  });

  it("needs a verified address, a session (not a token), and a sane body", async () => {
    const unverified = await newAccount(testEnv.baseUrl, false);
    const refused = await unverified.session.request("POST", "/api/v1/me/passkeys/options");
    expect(refused.status).toBe(403);
    expect((await fetch(`${testEnv.baseUrl}/api/v1/me/passkeys/options`, { method: "POST" })).status).toBe(401);
    const { session } = await newAccount();
    for (const body of [
      { name: "x" },
      { name: "x", response: { id: "not base64!", rawId: "x", type: "public-key", response: {} } },
      { name: "", response: {} },
    ]) {
      const response = await session.request("POST", "/api/v1/me/passkeys", body);
      expect(response.status).toBe(422);
      expectProblemShape(await response.json(), 422);
    }
    // Well-formed but not CBOR, not JSON: a 400, never a 500.
    const garbage = {
      id: "AAAA",
      rawId: "AAAA",
      type: "public-key",
      response: { clientDataJSON: "e30", attestationObject: "oA" },
    };
    expect((await session.request("POST", "/api/v1/me/passkeys", { name: "x", response: garbage })).status).toBe(400);
  });
});

describe("managing passkeys", () => {
  it("renames and removes your own; someone else's id is a 404 and stays as it was", async () => {
    const { session, authenticator } = await newAccount();
    const mine = await (await addPasskey(session, authenticator, "Old name")).json();
    const renamed = await session.request("PATCH", `/api/v1/me/passkeys/${mine.id}`, { name: "  New name " });
    expect(renamed.status).toBe(200);
    expect((await renamed.json()).name).toBe("New name");
    expect((await session.request("PATCH", `/api/v1/me/passkeys/${mine.id}`, { name: "x".repeat(65) })).status).toBe(
      422,
    );

    const other = await newAccount();
    expect((await other.session.request("PATCH", `/api/v1/me/passkeys/${mine.id}`, { name: "Mine now" })).status).toBe(
      404,
    );
    expect((await other.session.request("DELETE", `/api/v1/me/passkeys/${mine.id}`)).status).toBe(404);
    expect((await other.session.request("DELETE", `/api/v1/me/passkeys/${randomUUID()}`)).status).toBe(404);
    expect((await other.session.request("DELETE", "/api/v1/me/passkeys/not-an-id")).status).toBe(404);
    expect((await testDb().passkey.findUniqueOrThrow({ where: { id: mine.id } })).name).toBe("New name");

    // Removed: it lists no more and signs nobody in.
    expect((await session.request("DELETE", `/api/v1/me/passkeys/${mine.id}`)).status).toBe(200);
    expect((await (await session.request("GET", "/api/v1/me/passkeys")).json()).items).toEqual([]);
    const browser = new Browser();
    await expectRefused(authenticator.authenticate(await signInOptions(browser)), /unknown passkey/, browser);
  });
});

describe("signing in with a passkey alone", () => {
  it("signs in with no address typed: a real session, last used recorded, audited with the method", async () => {
    const { session, authenticator, user } = await newAccount();
    const { id } = await (await addPasskey(session, authenticator, "Laptop")).json();
    const browser = new Browser();
    const options = await signInOptions(browser);
    expect(options.allowCredentials ?? []).toEqual([]);
    expect(options.userVerification).toBe("required");
    const visit = await passkeySignIn(browser, authenticator.authenticate(options));
    expect(browser.signedIn).toBe(true);
    expect(new URL(visit.url).pathname).toBe("/keys");
    const mine = await (await browser.json("GET", "/api/v1/me/passkeys")).json();
    expect(mine.items[0]).toMatchObject({ id, name: "Laptop" });
    expect(mine.items[0].lastUsedAt).not.toBeNull();
    const event = await testDb().auditEvent.findFirstOrThrow({
      where: { action: "auth.signed_in", actorId: user.id },
      orderBy: { at: "desc" },
    });
    expect(event.detail).toMatchObject({ method: "passkey", passkeyId: id });
    expect((await testDb().passkey.findUniqueOrThrow({ where: { id } })).counter).toBe(1n);
  });

  it("refuses garbage, a forged signature, another origin or RP id, and no user verification", async () => {
    const { session, authenticator } = await newAccount();
    await addPasskey(session, authenticator, "Laptop");
    await expectRefused("not json at all", /not a WebAuthn assertion/);
    await expectRefused({ id: "AAAA" }, /not a WebAuthn assertion/);
    await expectRefused("x".repeat(15_000), /not a WebAuthn assertion/);
    const browser = () => new Browser();
    let b = browser();
    await expectRefused(authenticator.authenticate(await signInOptions(b), { forgeSignature: true }), /signature/i, b);
    b = browser();
    await expectRefused(
      authenticator.authenticate(await signInOptions(b), { origin: "https://keyward.evil.example" }),
      /origin/i,
      b,
    );
    b = browser();
    await expectRefused(authenticator.authenticate(await signInOptions(b), { rpId: "evil.example" }), /RP ID/i, b);
    b = browser();
    await expectRefused(authenticator.authenticate(await signInOptions(b), { userVerified: false }), /verif/i, b);
    b = browser();
    await expectRefused(
      authenticator.authenticate(await signInOptions(b), {
        userHandle: Buffer.from(randomUUID()).toString("base64url"),
      }),
      /user handle/,
      b,
    );
    // A challenge Keyward never issued.
    b = browser();
    await expectRefused(
      authenticator.authenticate({ challenge: Buffer.from("made up").toString("base64url") }),
      /challenge unknown/,
      b,
    );
  });

  it("a challenge answers once: the same assertion replayed, or a second one for it, is refused; so is an expired one", async () => {
    const { session, authenticator, user } = await newAccount();
    await addPasskey(session, authenticator, "Laptop");
    const options = await signInOptions(new Browser());
    const assertion = authenticator.authenticate(options);
    const first = new Browser();
    await passkeySignIn(first, assertion);
    expect(first.signedIn).toBe(true);
    await expectRefused(assertion, /challenge unknown, used or expired/);
    await expectRefused(authenticator.authenticate(options), /challenge unknown, used or expired/);

    const stale = await signInOptions(new Browser());
    await testDb().webAuthnChallenge.update({
      where: { challenge: stale.challenge },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    await expectRefused(authenticator.authenticate(stale), /challenge unknown, used or expired/);
    // The refusals name the account whose passkey was tried.
    expect(await lastSignInFailure(new Date(Date.now() - 60_000), user.email)).not.toBeNull();
  });

  it("two answers to one challenge at once: exactly one signs in", async () => {
    const { session, authenticator } = await newAccount();
    await addPasskey(session, authenticator, "Laptop");
    const options = await signInOptions(new Browser());
    const browsers = [new Browser(), new Browser(), new Browser()];
    const assertions = browsers.map(() => authenticator.authenticate(options));
    await Promise.all(browsers.map((b, i) => passkeySignIn(b, assertions[i])));
    expect(browsers.filter((b) => b.signedIn).length).toBe(1);
  });

  it("refuses a cloned authenticator: a counter that does not grow", async () => {
    const { session, authenticator } = await newAccount();
    await addPasskey(session, authenticator, "Laptop");
    const ok = new Browser();
    await passkeySignIn(ok, authenticator.authenticate(await signInOptions(ok)));
    await passkeySignIn(ok, authenticator.authenticate(await signInOptions(ok)));
    expect(ok.signedIn).toBe(true);
    const clone = new Browser();
    await expectRefused(authenticator.authenticate(await signInOptions(clone), { counter: 1 }), /counter/, clone);
  });

  it("a deleted account's passkeys go with it", async () => {
    const { session, authenticator, user } = await newAccount();
    await addPasskey(session, authenticator, "Laptop");
    expect((await session.request("DELETE", "/api/v1/me", { confirmEmail: user.email })).status).toBe(200);
    expect(await testDb().passkey.count({ where: { userId: user.id } })).toBe(0);
    const browser = new Browser();
    await expectRefused(authenticator.authenticate(await signInOptions(browser)), /unknown passkey/, browser);
  });

  it("failures are throttled per client, sharing the password's counter; the options route is rate-limited", async () => {
    // The locked-down server trusts X-Forwarded-For from the test: each address is a client.
    const { session, authenticator } = await newAccount(testEnv.limitedUrl);
    await addPasskey(session, authenticator, "Laptop");
    const client = `198.18.${randomInt(0, 255)}.${randomInt(1, 255)}`;
    const asClient = () => new Browser(testEnv.limitedUrl, { "x-forwarded-for": client });
    for (let i = 0; i < 21; i++) await passkeySignIn(asClient(), "garbage");
    // Counted under the client, as failed passwords are (their counter: lib/auth/throttle.ts).
    const key = `client:${client}`;
    const row = await testDb().signInThrottle.findUniqueOrThrow({ where: { key } });
    expect(row.failures).toBeGreaterThan(CLIENT_POLICY.free);
    // Past the free ones each failure doubles the wait, from a second: as if it had gone on to
    // 30, so the wait outlasts the next request however slow this machine is.
    await testDb().signInThrottle.update({ where: { key }, data: { failures: 30, lastAt: new Date() } });
    const blocked = asClient();
    const visit = await passkeySignIn(blocked, authenticator.authenticate(await signInOptions(blocked)));
    expect(blocked.signedIn).toBe(false);
    expect(new URL(visit.url).searchParams.get("code")).toMatch(/^throttled:/);
    // Another client signs in with the same passkey.
    const elsewhere = new Browser(testEnv.limitedUrl, {
      "x-forwarded-for": `198.18.${randomInt(0, 255)}.${randomInt(1, 255)}`,
    });
    await passkeySignIn(elsewhere, authenticator.authenticate(await signInOptions(elsewhere)));
    expect(elsewhere.signedIn).toBe(true);
    // PASSKEY_OPTIONS_RATE_LIMIT is 3 there: this client has asked once already.
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await asClient().json("POST", "/api/v1/passkeys/options")).status);
    expect(statuses).toEqual([200, 200, 429]);
  });
});

describe("a passkey as the second factor (provePasskey)", () => {
  it("proves only for its owner, once per challenge, with or without user verification", async () => {
    const { session, authenticator, user } = await newAccount();
    await addPasskey(session, authenticator, "Key");
    const other = await newAccount();
    // The options for a second factor list the user's passkeys.
    const options = await authenticationOptions(user.id);
    expect(options.allowCredentials?.map((c) => c.id)).toEqual([
      authenticator.credentials[0]!.id.toString("base64url"),
    ]);
    expect(await provePasskey(other.user.id, authenticator.authenticate(options))).toBe(false);
    // That refusal used the challenge up.
    expect(await provePasskey(user.id, authenticator.authenticate(options))).toBe(false);
    const fresh = await authenticationOptions(user.id);
    expect(await provePasskey(user.id, authenticator.authenticate(fresh, { userVerified: false }))).toBe(true);
    expect(await provePasskey(user.id, authenticator.authenticate(fresh))).toBe(false);
    // A challenge issued for one account proves nothing for another's passkey.
    const theirs = await authenticationOptions(other.user.id);
    expect(
      await provePasskey(
        user.id,
        authenticator.authenticate(theirs, {}, authenticator.credentials[0]!.id.toString("base64url")),
      ),
    ).toBe(false);
    expect(await provePasskey(user.id, { garbage: true })).toBe(false);
  });
});
