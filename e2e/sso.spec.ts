// Single sign-on in Chromium against a real OpenID provider (oidc-provider's own login and consent
// pages, test-support/oidc-provider.ts): sign-in, a refused domain on a page that says so, the admin
// role from a group (and gone after leaving it), and sign-out.
import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { currentCode } from "../lib/second-factor/totp";
import { defineOidcAccount, type OidcTestAccount } from "../test-support/oidc-provider";
import { expect, test } from "./support";

test.use({ storageState: { cookies: [], origins: [] } });

const issuer = () => {
  const url = process.env.KEYWARD_TEST_OIDC_ISSUER;
  if (!url) throw new Error("KEYWARD_TEST_OIDC_ISSUER is not set: run the e2e tests with `npm run test:e2e`.");
  return url;
};

async function idpAccount(claims: Partial<OidcTestAccount> = {}): Promise<OidcTestAccount> {
  const account: OidcTestAccount = {
    sub: `e2e-${randomUUID()}`,
    email: `e2e-sso-${randomUUID().slice(0, 8)}@sso.example.test`,
    email_verified: true,
    name: "Esso Person",
    groups: [],
    ...claims,
  };
  await defineOidcAccount(issuer(), account);
  return account;
}

/** "Continue with Test SSO", then the provider's login and consent pages. */
async function continueWithSso(page: Page, sub: string) {
  // Without the provider's own session it asks who you are (its cookies share the host).
  await page.context().clearCookies({ name: /^_session/ });
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Continue with Test SSO" }).click();
  await expect(page).toHaveURL(new RegExp(`^${issuer()}/interaction/`));
  await page.locator('input[name="login"]').fill(sub);
  await page.locator('input[name="password"]').fill("any password");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
}

test("sign in with single sign-on, then sign out", async ({ page, db }) => {
  const account = await idpAccount();
  await continueWithSso(page, account.sub);
  await expect(page).toHaveURL(/\/keys$/);
  await expect(page.getByRole("heading", { name: "My keys" })).toBeVisible();
  await expect(page.getByText(account.email!).first()).toBeVisible();
  const user = await db.user.findUniqueOrThrow({
    where: { email: account.email },
    select: { role: true, emailVerifiedAt: true },
  });
  expect(user.role).toBe("USER");
  expect(user.emailVerifiedAt).not.toBeNull();
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/keys");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
});

test("an address outside the allowed domains is refused on a clear page", async ({ page, db }) => {
  const account = await idpAccount({ email: `outsider-${randomUUID().slice(0, 8)}@elsewhere.test` });
  await continueWithSso(page, account.sub);
  await expect(page).toHaveURL(/\/auth\/oidc\?problem=domain-not-allowed$/);
  await expect(page.getByRole("heading", { name: "This address may not sign in here" })).toBeVisible();
  await expect(
    page.getByText("Only addresses in the domains this Keyward allows may sign in with Test SSO"),
  ).toBeVisible();
  await page.getByRole("link", { name: "Back to sign-in" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  expect(await db.user.count({ where: { email: account.email } })).toBe(0);
});

test("the admin group makes an admin; after leaving it the next sign-in is a plain user", async ({ page }) => {
  const account = await idpAccount({ groups: ["keyward-admins"] });
  await continueWithSso(page, account.sub);
  await expect(page).toHaveURL(/\/keys$/);
  await page.goto("/admin/users");
  await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/sign-in/);

  await defineOidcAccount(issuer(), { ...account, groups: [] });
  await continueWithSso(page, account.sub);
  await expect(page).toHaveURL(/\/keys$/);
  await page.goto("/admin/users");
  await expect(page.getByRole("heading", { name: "Users" })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

test("an account with a second factor: the single sign-on waits for it on the sign-in page", async ({ page }) => {
  const account = await idpAccount();
  await continueWithSso(page, account.sub);
  await expect(page).toHaveURL(/\/keys$/);
  const started = await page.request.post("/api/v1/me/2fa/totp");
  const { secret } = (await started.json()) as { secret: string };
  const confirmed = await page.request.post("/api/v1/me/2fa/totp/confirm", { data: { code: currentCode(secret) } });
  const { recoveryCodes } = (await confirmed.json()) as { recoveryCodes: string[] };
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/sign-in/);

  await continueWithSso(page, account.sub);
  await expect(page).toHaveURL(/\/sign-in\?held=oidc/);
  await expect(page.getByText("Test SSO has confirmed who you are")).toBeVisible();
  await page.goto("/keys");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
  await page.goBack();
  await page.getByLabel("Authentication code").fill("000000");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByText("That code is not right")).toBeVisible();
  await page.getByLabel("Authentication code").fill(recoveryCodes[0]!);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/keys$/);
  await expect(page.getByText(account.email!).first()).toBeVisible();
});
