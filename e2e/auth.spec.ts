// Sign-up, the emailed link, sign-in and sign-out in the browser: the same answer for a known
// address, a wrong password refused, the way back kept on our origin, and a signed-out (or
// password-changed) session dead everywhere.
import type { PrismaClient } from "../lib/db/generated/client";
import { expect, seedUser, test } from "./support";

test.use({ storageState: { cookies: [], origins: [] } });

async function verificationLink(db: PrismaClient, email: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const message = await db.emailMessage.findFirst({
      where: { toAddress: email, kind: "VERIFY_EMAIL" },
      orderBy: { createdAt: "desc" },
    });
    const link = /https?:\/\/\S+\/verify-email\?token=[\w-]+/.exec(message?.text ?? "")?.[0];
    if (link) return new URL(link).pathname + new URL(link).search;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no verification email to ${email}`);
}

test("sign up, verify the address from the emailed link, sign in, and a wrong password is refused", async ({
  page,
  db,
}) => {
  const email = `new-${Date.now()}-${test.info().workerIndex}@example.test`;
  await page.goto("/keys?tab=expiring");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
  await page.getByRole("link", { name: "Create an account" }).click();
  await page.getByLabel("Name").fill("New Person");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Use at least 8 characters")).toBeVisible();
  await page.getByLabel("Password").fill("a-good-long-password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  await expect(page.getByText(email)).toBeVisible();

  await page.goto(await verificationLink(db, email));
  await page.getByRole("button", { name: "Verify my address" }).click();
  await expect(page).toHaveURL(/\/sign-in\?verified=1/);
  await expect(page.getByText("Your address is verified. Sign in to continue.")).toBeVisible();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a-wrong-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByText("Wrong email or password.")).toBeVisible();
  await page.getByLabel("Password").fill("a-good-long-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/keys$/);
  await expect(page.getByRole("heading", { name: "My keys" })).toBeVisible();
  await expect(page.getByTestId("verify-email-banner")).toHaveCount(0);
});

test("an address that has an account gets the same answer, and no second account", async ({ page, db }) => {
  const user = await seedUser(db);
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Someone");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill("another-long-password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  expect(await db.user.count({ where: { email: user.email } })).toBe(1);
});

test("an unverified account sees the banner and cannot issue keys until it verifies", async ({ page, db }) => {
  const user = await seedUser(db, { verified: false });
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  const banner = page.getByTestId("verify-email-banner");
  await expect(banner).toContainText(`Verify ${user.email}`);
  await banner.getByRole("button", { name: "Send a new link" }).click();
  await expect(banner).toContainText("Sent");
  await page.goto(await verificationLink(db, user.email));
  await page.getByRole("button", { name: "Verify my address" }).click();
  await expect(page).toHaveURL(/\/keys\?verified=1$/);
  await expect(page.getByTestId("verify-email-banner")).toHaveCount(0);
});

test("after a genuine sign-in, a callbackUrl pointing elsewhere lands on /keys", async ({ page, db }) => {
  const user = await seedUser(db);
  await page.goto("/sign-in?callbackUrl=/%09/evil.example");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/keys$/);
  expect(new URL(page.url()).host).toBe(new URL(process.env.KEYWARD_TEST_BASE_URL!).host);
});

test("signing out ends the session everywhere, and a password change ends the others", async ({
  page,
  db,
  browser,
}) => {
  const user = await seedUser(db);
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/keys$/);

  // A second browser with a copy of the session, then the first one signs out.
  const copy = await browser.newContext({ storageState: await page.context().storageState() });
  const copied = await copy.newPage();
  await copied.goto("/keys");
  await expect(copied.getByRole("heading", { name: "My keys" })).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await copied.goto("/keys");
  await expect(copied).toHaveURL(/\/sign-in/);

  // Sign in twice again; a password change in one ends the other, and this one stays.
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/keys$/);
  const other = await browser.newContext({ storageState: await page.context().storageState() });
  const otherPage = await other.newPage();
  await page.goto("/settings");
  await page.getByLabel("Current password").fill(user.password);
  await page.getByLabel("New password").fill("a-brand-new-password");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Password changed.")).toBeVisible();
  await otherPage.goto("/keys");
  await expect(otherPage).toHaveURL(/\/sign-in/);
  await page.goto("/keys");
  await expect(page.getByRole("heading", { name: "My keys" })).toBeVisible();
  await copy.close();
  await other.close();
});
