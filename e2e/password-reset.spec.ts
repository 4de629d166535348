// Password recovery in the browser: "Forgot password?" on sign-in, the address, the emailed link
// (read from the outbox: no SMTP in this run), a new password, and signing in with it; the
// reset signs nobody in and ends the account's other sessions. And an admin sending a link from
// Admin → Users.
import type { PrismaClient } from "../lib/db/generated/client";
import { expect, seedUser, signInAsNewUser, signInByApi, test } from "./support";

test.use({ storageState: { cookies: [], origins: [] } });

async function resetLink(db: PrismaClient, email: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const message = await db.emailMessage.findFirst({
      where: { toAddress: email, kind: "PASSWORD_RESET" },
      orderBy: { createdAt: "desc" },
    });
    const link = /https?:\/\/\S+\/reset-password\?token=[\w-]+/.exec(message?.text ?? "")?.[0];
    if (link) return new URL(link).pathname + new URL(link).search;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no reset email to ${email}`);
}

test("Forgot password?: the address, the emailed link, a new password, then sign in with it; other sessions end", async ({
  page,
  db,
  browser,
}) => {
  const user = await seedUser(db);
  const elsewhere = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const otherPage = await elsewhere.newPage();
  await signInByApi(otherPage, user.email, user.password);
  await otherPage.goto("/keys");
  await expect(otherPage.getByRole("heading", { name: "My keys" })).toBeVisible();

  await page.goto("/sign-in");
  await page.getByRole("link", { name: "Forgot password?" }).click();
  await expect(page).toHaveURL(/\/forgot-password/);
  await page.getByLabel("Email").fill(user.email);
  await page.getByRole("button", { name: "Send a reset link" }).click();
  await expect(page.getByText(`If ${user.email} has an account here, we sent it a link`)).toBeVisible();

  const link = await resetLink(db, user.email);
  await page.goto(link);
  await expect(page.getByText(user.email)).toBeVisible();
  await page.getByLabel("New password").fill("short");
  await page.getByRole("button", { name: "Set the new password" }).click();
  await expect(page.getByText("Use at least 8 characters")).toBeVisible();
  await page.getByLabel("New password").fill("a-brand-new-password");
  await page.getByRole("button", { name: "Set the new password" }).click();
  await expect(page).toHaveURL(/\/sign-in\?reset=1/);
  await expect(page.getByText("Your new password is set. Sign in with it.")).toBeVisible();

  // The reset signed nobody in: the portal still wants a sign-in, which the new password passes.
  await page.goto("/keys");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill("a-brand-new-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/keys$/);

  await otherPage.goto("/keys");
  await expect(otherPage).toHaveURL(/\/sign-in\?callbackUrl=/);
  await elsewhere.close();

  await page.goto(link);
  await expect(page.getByText("This link has already been used.")).toBeVisible();
});

test("an admin sends a reset link from Admin → Users, and finds it in the outbox", async ({ page, db }) => {
  await signInAsNewUser(page, db, "ADMIN");
  const user = await seedUser(db);
  await page.goto(`/admin/users?q=${encodeURIComponent(user.email)}`);
  const row = page.getByTestId("user-row").filter({ hasText: user.email });
  await row.getByRole("button", { name: "Send reset link" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Send the link" }).click();
  await expect(page.getByText(`A reset link went to ${user.email}.`)).toBeVisible();
  await page.goto(`/admin/outbox?to=${encodeURIComponent(user.email)}`);
  await expect(page.getByText("[Keyward] Reset your password")).toBeVisible();
});
