// API tokens in the browser: a person makes one under Settings → API tokens (shown once), a
// script uses it with no session, the page shows it was used, and revoking it stops it at once.
import { expect, signInAsNewUser, test } from "./support";

test.use({ storageState: { cookies: [], origins: [] } });

test("make a token in Settings, use it from a script, see it used, revoke it", async ({ page, db, request }) => {
  await signInAsNewUser(page, db);
  await page.goto("/settings");
  await page.getByRole("link", { name: "Manage API tokens" }).click();
  await expect(page.getByRole("heading", { name: "API tokens" })).toBeVisible();
  await page.getByRole("button", { name: "Make a token" }).click();
  await page.getByLabel("Name").fill("ci: rotate payments key");
  await page.getByLabel("keys:write").check();
  await page.getByRole("button", { name: "Make token" }).click();
  const plaintext = (await page.getByTestId("new-token").textContent())!;
  expect(plaintext).toMatch(/^kwt_[0-9A-Za-z]{36}$/);
  await page.getByRole("button", { name: "Done" }).click();
  const row = page.getByTestId("token-ci: rotate payments key");
  await expect(row).toContainText("keys:read keys:write");
  await expect(row.getByTestId("token-last-used")).toHaveText("never");
  await expect(page.locator("body")).not.toContainText(plaintext);

  // A script, with the token and no cookie: issue a key.
  const issued = await request.post("/api/v1/keys", {
    headers: { authorization: `Bearer ${plaintext}` },
    data: { name: "payments", scopes: ["read"], expiry: { type: "days", days: 30 } },
  });
  expect(issued.status()).toBe(201);
  await page.reload();
  await expect(row.getByTestId("token-last-used")).not.toHaveText("never");

  await row.getByRole("button", { name: "Revoke ci: rotate payments key" }).click();
  await page.getByRole("button", { name: "Revoke token" }).click();
  await expect(row).toContainText("revoked");
  const refused = await request.get("/api/v1/keys", { headers: { authorization: `Bearer ${plaintext}` } });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).code).toBe("REVOKED");
});
