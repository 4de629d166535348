// Two-factor authentication in the browser: enrolling from Settings → Security (QR code, secret,
// first code, recovery codes shown once), signing in with password then code, signing in with a
// recovery code, and sudo mode's dialog asking for the password before a token is made.
import type { BrowserContext, Page } from "@playwright/test";
import { decode, encode } from "next-auth/jwt";
import { currentCode } from "../lib/second-factor/totp";
import { expect, seedUser, signInByApi, test } from "./support";

test.use({ storageState: { cookies: [], origins: [] } });

/** TOTP turned on through the API, as the page does it; answers the secret and recovery codes. */
async function enrolByApi(page: Page): Promise<{ secret: string; recoveryCodes: string[] }> {
  const started = await page.request.post("/api/v1/me/2fa/totp");
  expect(started.status()).toBe(200);
  const { secret } = (await started.json()) as { secret: string };
  const confirmed = await page.request.post("/api/v1/me/2fa/totp/confirm", { data: { code: currentCode(secret) } });
  expect(confirmed.status()).toBe(200);
  return { secret, recoveryCodes: ((await confirmed.json()) as { recoveryCodes: string[] }).recoveryCodes };
}

async function signInForm(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** The session's last authentication moved 11 minutes back, signed as the server signs it. */
async function ageSession(context: BrowserContext) {
  const name = "authjs.session-token";
  const cookie = (await context.cookies()).find((c) => c.name === name);
  if (!cookie) throw new Error("not signed in");
  const secret = process.env.AUTH_SECRET!;
  const token = await decode({ token: cookie.value, secret, salt: name });
  const value = await encode({ token: { ...token, authAt: Number(token!.authAt) - 11 * 60_000 }, secret, salt: name });
  await context.addCookies([{ ...cookie, value }]);
}

test("enrol from Settings → Security: QR code and secret, a first code, recovery codes shown once", async ({
  page,
  db,
}) => {
  const user = await seedUser(db);
  await signInByApi(page, user.email, user.password);
  await page.goto("/settings");
  await page.getByRole("link", { name: "Two-factor authentication" }).click();
  await expect(page.getByRole("heading", { name: "Security" })).toBeVisible();
  await page.getByRole("button", { name: "Set up two-factor authentication" }).click();
  await expect(page.getByTestId("totp-qr").locator("svg")).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("enrol.png") });
  const secret = (await page.getByTestId("totp-secret").textContent())!.trim();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await page.getByLabel("Code from the app").fill("000000");
  await page.getByRole("button", { name: "Turn on" }).click();
  await expect(page.getByText("That code is not right")).toBeVisible();
  await page.getByLabel("Code from the app").fill(currentCode(secret));
  await page.getByRole("button", { name: "Turn on" }).click();
  const codes = page.getByTestId("recovery-codes").getByRole("listitem");
  await expect(codes).toHaveCount(10);
  await page.screenshot({ path: test.info().outputPath("recovery-codes.png") });
  await expect(page.getByRole("link", { name: "Download" })).toHaveAttribute("download", "keyward-recovery-codes.txt");
  await page.getByRole("button", { name: "I saved them" }).click();
  await expect(page.getByText("10 recovery codes left")).toBeVisible();
  await expect(page.getByTestId("recovery-codes")).toHaveCount(0);
  expect(await db.totpFactor.count({ where: { userId: user.id, confirmedAt: { not: null } } })).toBe(1);
});

test("sign in with the password, then a code from the app; a wrong code is refused", async ({ page, db }) => {
  const user = await seedUser(db);
  await signInByApi(page, user.email, user.password);
  const { secret } = await enrolByApi(page);
  await page.context().clearCookies();

  await signInForm(page, user.email, user.password);
  await expect(page.getByLabel("Authentication code")).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.screenshot({ path: test.info().outputPath("second-step.png") });
  await page.getByLabel("Authentication code").fill("000000");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByText("That code is not right")).toBeVisible();
  // The code of the next step: the current one was spent confirming enrolment.
  await page.getByLabel("Authentication code").fill(currentCode(secret, Date.now() + 30_000));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/keys$/);
  await expect(page.getByRole("heading", { name: "My keys" })).toBeVisible();
});

test("sign in with a recovery code, once", async ({ page, db }) => {
  const user = await seedUser(db);
  await signInByApi(page, user.email, user.password);
  const { recoveryCodes } = await enrolByApi(page);
  await page.context().clearCookies();

  await signInForm(page, user.email, user.password);
  await page.getByLabel("Authentication code").fill(recoveryCodes[0]!);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/keys$/);
  await page.context().clearCookies();

  await signInForm(page, user.email, user.password);
  await page.getByLabel("Authentication code").fill(recoveryCodes[0]!);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByText("That code is not right, or was used already")).toBeVisible();
});

test("making a token after 10 minutes asks for the password first, then makes it", async ({ page, db }) => {
  const user = await seedUser(db);
  await signInByApi(page, user.email, user.password);
  await ageSession(page.context());
  await page.goto("/settings/tokens");
  await page.getByRole("button", { name: "Make a token" }).click();
  await page.getByLabel("Name").fill("after sudo");
  await page.getByLabel("keys:read").check();
  await page.getByRole("button", { name: "Make token" }).click();
  const dialog = page.getByRole("dialog", { name: "Confirm it is you" });
  await expect(dialog).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("reauth.png") });
  await dialog.getByLabel("Password").fill("not-my-password");
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await expect(dialog.getByText("Wrong password.")).toBeVisible();
  await dialog.getByLabel("Password").fill(user.password);
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("new-token")).toContainText("kwt_");
});

test("an admin resets a user's second factor from Admin → Users, on the portal's confirm dialog", async ({
  page,
  db,
  browser,
  baseURL,
}) => {
  const user = await seedUser(db);
  const userContext = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const userPage = await userContext.newPage();
  await signInByApi(userPage, user.email, user.password);
  await enrolByApi(userPage);

  const admin = await seedUser(db, { role: "ADMIN" });
  await signInByApi(page, admin.email, admin.password);
  await page.goto(`/admin/users?q=${encodeURIComponent(user.email)}`);
  const row = page.getByTestId("user-row").filter({ hasText: user.email });
  await expect(row.getByText("on", { exact: true })).toBeVisible();
  await row.getByRole("button", { name: "Reset 2FA" }).click();
  const confirm = page.getByRole("dialog", { name: "Are you sure?" });
  await expect(confirm).toContainText(user.email);
  await confirm.getByRole("button", { name: "Reset two-factor" }).click();
  await expect(page.getByText(`The second factor of ${user.email} was removed`)).toBeVisible();
  await expect(row.getByRole("button", { name: "Reset 2FA" })).toHaveCount(0);

  // Their session ended, and the password alone signs them in again.
  await userPage.goto("/keys");
  await expect(userPage).toHaveURL(/\/sign-in/);
  await signInForm(userPage, user.email, user.password);
  await expect(userPage).toHaveURL(/\/keys$/);
  await userContext.close();
});
