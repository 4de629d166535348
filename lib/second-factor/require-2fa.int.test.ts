// REQUIRE_2FA on instances of its own (the shared servers run with it off): unset in production
// it means admins; `everyone` means every person. An account without its required second factor
// sees only Settings → Security, and the API answers it (and its API tokens) 403
// SECOND_FACTOR_REQUIRED with an enrolUrl, except the enrolment routes, re-authentication and
// sign-out. Once enrolled, everything answers again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppServer } from "@/server/app-server";
import { startInstances } from "@/test-support/app-instances";
import { closeTestDb, seedToken, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { signIn } from "@/test-support/http";
import { currentCode, Jar, seedTotp, signInWith } from "@/test-support/second-factor";

const db = () => testDb();
let byDefault: AppServer;
let everyone: AppServer;

beforeAll(async () => {
  // The same AUTH_SECRET as the shared servers, so factors seeded for them open here too.
  const secret = process.env.AUTH_SECRET;
  const [a, b] = await Promise.all([
    startInstances("require-2fa-default", 1, testEnv.databaseUrl, { REQUIRE_2FA: undefined, AUTH_SECRET: secret }),
    startInstances("require-2fa-everyone", 1, testEnv.databaseUrl, { REQUIRE_2FA: "everyone", AUTH_SECRET: secret }),
  ]);
  byDefault = a[0]!;
  everyone = b[0]!;
}, 120_000);
afterAll(async () => {
  await Promise.all([byDefault?.stop(), everyone?.stop()]);
  await closeTestDb();
});

async function expectEnrolFirst(response: Response, required: string, baseUrl: string) {
  expect(response.status, response.url).toBe(403);
  const problem = (await response.json()) as { code: string; enrolUrl: string };
  expect(problem.code).toBe("SECOND_FACTOR_REQUIRED");
  expect(problem.enrolUrl).toBe(`${baseUrl}/settings/security?required=${required}`);
}

describe("REQUIRE_2FA unset in production: admins", () => {
  it("an admin without a factor is sent to enrol, by pages and API alike, tokens included; a user is not", async () => {
    const admin = await seedUser(db(), { role: "ADMIN" });
    const user = await seedUser(db());
    const session = await signIn(admin.email, admin.password, byDefault.url);
    for (const page of ["/keys", "/admin/keys", "/settings"]) {
      const response = await session.request("GET", page);
      expect(response.status, page).toBe(307);
      const location = new URL(response.headers.get("location")!, byDefault.url);
      expect(`${location.pathname}${location.search}`).toBe("/settings/security?required=admins");
    }
    expect((await session.request("GET", "/settings/security?required=admins")).status).toBe(200);
    await expectEnrolFirst(await session.request("GET", "/api/v1/keys"), "admins", byDefault.url);
    await expectEnrolFirst(await session.request("GET", "/api/v1/admin/users"), "admins", byDefault.url);
    const token = await seedToken(db(), { userId: admin.id, scopes: ["admin:read"] });
    await expectEnrolFirst(
      await fetch(`${byDefault.url}/api/v1/admin/users`, { headers: { authorization: `Bearer ${token.plaintext}` } }),
      "admins",
      byDefault.url,
    );
    expect((await session.request("GET", "/api/v1/me/2fa")).status).toBe(200);
    expect((await session.request("GET", "/api/v1/me/reauth")).status).toBe(200);

    const userSession = await signIn(user.email, user.password, byDefault.url);
    expect((await userSession.request("GET", "/api/v1/keys")).status).toBe(200);
    expect((await userSession.request("GET", "/keys")).status).toBe(200);

    // Enrolling through the routes that stay open lets everything answer again.
    const jar = new Jar(session.cookie);
    const started = (await jar.request(byDefault.url, "POST", "/api/v1/me/2fa/totp").then((r) => r.json())) as {
      secret: string;
    };
    expect(
      (await jar.request(byDefault.url, "POST", "/api/v1/me/2fa/totp/confirm", { code: currentCode(started.secret) }))
        .status,
    ).toBe(200);
    expect((await jar.request(byDefault.url, "GET", "/api/v1/admin/users")).status).toBe(200);
    expect((await jar.request(byDefault.url, "GET", "/admin/keys")).status).toBe(200);
    expect(
      (await fetch(`${byDefault.url}/api/v1/admin/users`, { headers: { authorization: `Bearer ${token.plaintext}` } }))
        .status,
    ).toBe(200);
  });

  it("Settings → Security asks to enrol only while the account has no factor: a passkey is one", async () => {
    const admin = await seedUser(db(), { role: "ADMIN" });
    const session = await signIn(admin.email, admin.password, byDefault.url);
    const banner = async () =>
      (await (await session.request("GET", "/settings/security?required=admins")).text()).includes(
        "requires two-factor authentication",
      );
    expect(await banner()).toBe(true);
    // A registered passkey satisfies the policy (the gate lets the account through): the page
    // must not still tell it that the rest of the portal waits.
    await db().passkey.create({
      data: {
        userId: admin.id,
        credentialId: `cred-${admin.id}`,
        publicKey: Buffer.from([1, 2, 3]),
        name: "Laptop",
        deviceType: "singleDevice",
      },
    });
    expect((await session.request("GET", "/admin/keys")).status).toBe(200);
    expect(await banner()).toBe(false);
  });

  it("signing out works before enrolling", async () => {
    const admin = await seedUser(db(), { role: "ADMIN" });
    const jar = new Jar((await signIn(admin.email, admin.password, byDefault.url)).cookie);
    const csrf = (await jar.request(byDefault.url, "GET", "/api/auth/csrf").then((r) => r.json())) as {
      csrfToken: string;
    };
    const signedOut = await fetch(`${byDefault.url}/api/auth/signout`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: jar.cookie, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken: csrf.csrfToken, callbackUrl: "/sign-in" }),
    });
    expect(signedOut.status).toBe(302);
    expect((await jar.request(byDefault.url, "GET", "/api/v1/me/2fa")).status).toBe(401);
  });
});

describe("REQUIRE_2FA=everyone", () => {
  it("asks every person; one with a factor goes on", async () => {
    const user = await seedUser(db());
    const session = await signIn(user.email, user.password, everyone.url);
    await expectEnrolFirst(await session.request("GET", "/api/v1/keys"), "everyone", everyone.url);
    expect((await session.request("GET", "/keys")).headers.get("location")).toContain(
      "/settings/security?required=everyone",
    );

    const enrolled = await seedUser(db());
    const { secret } = await seedTotp(db(), enrolled.id);
    const signedIn = await signInWith(everyone.url, {
      email: enrolled.email,
      password: enrolled.password,
      otp: currentCode(secret),
    });
    expect(signedIn.cookie).not.toBeNull();
    expect((await new Jar(signedIn.cookie!).request(everyone.url, "GET", "/api/v1/keys")).status).toBe(200);
  });
});
