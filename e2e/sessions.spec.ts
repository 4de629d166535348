// Settings → Sessions in Chromium: two browsers signed in to one account; ending the other one's
// session from the list signs that browser out, and this one stays.
import { expect, seedUser, test } from "./support";

test.use({ storageState: { cookies: [], origins: [] } });

test("end another browser's session from Settings → Sessions", async ({ page, browser, db }) => {
  const user = await seedUser(db);
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/keys$/);
  const other = await browser.newContext({
    userAgent:
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
  });
  const otherPage = await other.newPage();
  await otherPage.goto("/sign-in");
  await otherPage.getByLabel("Email").fill(user.email);
  await otherPage.getByLabel("Password").fill(user.password);
  await otherPage.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(otherPage).toHaveURL(/\/keys$/);

  await page.goto("/settings");
  await page.getByRole("link", { name: "Manage sessions" }).click();
  await expect(page.getByRole("heading", { name: "Sessions" })).toBeVisible();
  const rows = page.getByTestId("session-row");
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: "this browser" })).toHaveCount(1);
  const theirs = rows.filter({ hasText: "Safari 18 on macOS" });
  await expect(theirs).toHaveCount(1);
  await theirs.getByRole("button", { name: "End session" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "End session" }).click();
  await expect(page.getByText("The session on Safari 18 on macOS has ended.")).toBeVisible();
  await expect(rows).toHaveCount(1);

  await otherPage.goto("/keys");
  await expect(otherPage).toHaveURL(/\/sign-in\?callbackUrl=/);
  await page.goto("/keys");
  await expect(page.getByRole("heading", { name: "My keys" })).toBeVisible();
  await other.close();
});
