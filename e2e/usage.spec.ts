// Usage in a real browser: a key issued from the portal and verified over HTTP shows its answers
// on key detail (chart and totals) and in My keys' sparkline; Admin → Usage lists it.
import { addHourlyCounts } from "../lib/usage/hourly-counts";
import { expect, signInAsNewUser, signInByApi, seedUser, test } from "./support";

const HOUR = 3_600_000;

test("a key's verifications show on key detail, in My keys and on the admin usage page", async ({
  page,
  db,
  request,
  browser,
}) => {
  await signInAsNewUser(page, db);
  const name = `charted-${test.info().workerIndex}-${Date.now().toString(36)}`;
  await page.goto("/keys");
  await page.getByRole("button", { name: "Issue a key" }).click();
  const dialog = page.getByRole("dialog", { name: "Issue a key" });
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByRole("button", { name: "Issue key" }).click();
  const plaintext = (await dialog.getByTestId("new-key").textContent())!.trim();
  await page.keyboard.press("Escape");

  // Three good answers and one refusal (a scope the key lacks), over HTTP as a service would.
  for (const body of [{ key: plaintext }, { key: plaintext }, { key: plaintext }, { key: plaintext, scope: "nope" }]) {
    const response = await request.post("/api/v1/keys/verify", { data: body });
    expect(response.status()).toBe(200);
  }

  await page.getByTestId("key-row").filter({ hasText: name }).getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { name: "Usage" })).toBeVisible();
  // The counters arrive with the usage flush (every 200 ms in tests): reload until they show.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("usage-total")).toHaveText("4", { timeout: 500 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByTestId("usage-valid")).toHaveText("3");
  await expect(page.getByTestId("usage-refused")).toHaveText("1");
  await expect(page.getByTestId("usage-count")).toHaveText("3");
  await expect(page.getByTestId("usage-last-used")).not.toHaveText("never");
  await expect(page.getByRole("img", { name: "Answers per day: 4 answers, 1 refused" })).toBeVisible();
  await expect(page.getByText("Refused: insufficient scope 1")).toBeVisible();

  await page.goto("/keys");
  await expect(page.getByTestId("key-row").filter({ hasText: name }).getByTestId("sparkline")).toHaveAccessibleName(
    "3 valid, 1 refused in the last 14 days",
  );

  // Admin → Usage: give the key more traffic this hour than anything else in the shared
  // database has, so it tops the list whatever other tests did.
  const key = await db.apiKey.findFirstOrThrow({ where: { name }, select: { id: true } });
  const hour = Math.floor(Date.now() / HOUR) * HOUR;
  await addHourlyCounts(db, [{ keyId: key.id, hour, outcome: "VALID", count: 2e12 }]);
  const admin = await seedUser(db, { role: "ADMIN" });
  const adminContext = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const adminPage = await adminContext.newPage();
  await signInByApi(adminPage, admin.email, admin.password);
  await adminPage.goto("/admin/keys");
  await adminPage.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Usage" }).click();
  await expect(adminPage.getByRole("heading", { name: "Usage", exact: true })).toBeVisible();
  await expect(adminPage.getByRole("img", { name: /^Verifications per hour:/ })).toBeVisible();
  await expect(adminPage.getByTestId("top-keys").getByTestId("usage-row").first()).toContainText(name);
  await adminPage.getByRole("link", { name: "7 days" }).click();
  await expect(adminPage).toHaveURL(/hours=168/);
  await expect(adminPage.getByTestId("top-keys").getByTestId("usage-row").first()).toContainText(name);
  await adminContext.close();
});
