// A passkey as the second factor after the password, over real HTTP against the running app, with
// a real software authenticator (test-support/software-authenticator.ts): the server verifies real
// signatures. An account with a passkey is asked for it (or a code) after its password.
import { afterAll, describe, expect, it } from "vitest";
import { closeTestDb, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { signIn } from "@/test-support/http";
import { signInWith } from "@/test-support/second-factor";
import { SoftwareAuthenticator } from "@/test-support/software-authenticator";

afterAll(closeTestDb);
async function accountWithPasskey() {
  const user = await seedUser(testDb(), { verified: true });
  const session = await signIn(user.email, user.password);
  const authenticator = new SoftwareAuthenticator(new URL(testEnv.baseUrl).origin);
  const options = await (await session.request("POST", "/api/v1/me/passkeys/options")).json();
  const added = await session.request("POST", "/api/v1/me/passkeys", {
    response: authenticator.register(options),
    name: "Laptop",
  });
  expect(added.status).toBe(201);
  return { user, authenticator };
}

/** A fresh sign-in challenge from the public options route, as the sign-in page asks for one. */
async function signInOptions() {
  const response = await fetch(`${testEnv.baseUrl}/api/v1/passkeys/options`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
  expect(response.status).toBe(200);
  return response.json();
}

const codeOf = (location: string | null) => new URL(location ?? "/", testEnv.baseUrl).searchParams.get("code");

describe("a passkey as the second factor", () => {
  it("is asked for after the right password, and signs in with an assertion of the account's own passkey", async () => {
    const { user, authenticator } = await accountWithPasskey();
    const asked = await signInWith(testEnv.baseUrl, { email: user.email, password: user.password });
    expect(asked.cookie).toBeNull();
    expect(codeOf(asked.location)).toBe("otp-required:passkey");

    const assertion = JSON.stringify(authenticator.authenticate(await signInOptions()));
    const done = await signInWith(testEnv.baseUrl, { email: user.email, password: user.password, passkey: assertion });
    expect(done.cookie).not.toBeNull();
    const event = await testDb().auditEvent.findFirstOrThrow({
      where: { action: "auth.signed_in", actorId: user.id },
      orderBy: { at: "desc" },
    });
    expect(event.detail).toMatchObject({ method: "password+passkey" });

    // The challenge was taken by that sign-in: the same assertion proves nothing a second time.
    const replay = await signInWith(testEnv.baseUrl, {
      email: user.email,
      password: user.password,
      passkey: assertion,
    });
    expect(replay.cookie).toBeNull();
    expect(codeOf(replay.location)).toBe("otp-wrong:passkey");
  });

  it("refuses another account's passkey, garbage, and a wrong password with a good assertion", async () => {
    const { user } = await accountWithPasskey();
    const other = await accountWithPasskey();
    const theirs = JSON.stringify(other.authenticator.authenticate(await signInOptions()));
    const refused = await signInWith(testEnv.baseUrl, { email: user.email, password: user.password, passkey: theirs });
    expect(refused.cookie).toBeNull();
    expect(codeOf(refused.location)).toBe("otp-wrong:passkey");

    const garbage = await signInWith(testEnv.baseUrl, {
      email: user.email,
      password: user.password,
      passkey: "{not json",
    });
    expect(garbage.cookie).toBeNull();
    expect(codeOf(garbage.location)).toBe("otp-wrong:passkey");

    const own = JSON.stringify(other.authenticator.authenticate(await signInOptions()));
    const wrongPassword = await signInWith(testEnv.baseUrl, {
      email: other.user.email,
      password: `${other.user.password}x`,
      passkey: own,
    });
    expect(wrongPassword.cookie).toBeNull();
    expect(codeOf(wrongPassword.location)).not.toMatch(/^otp/);
  });
});
