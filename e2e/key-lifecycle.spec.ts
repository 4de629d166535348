// The core journey in a real browser: issue a key, see it once, verify it over HTTP, revoke
// it, find it under Blacklisted.
import { expect, test } from "./support";

test("issue, see once, verify, revoke, find under blacklisted", async ({ page, request }) => {
  const name = `e2e-${test.info().workerIndex}-${Date.now()}`;
  await page.goto("/keys");
  await expect(page.getByRole("heading", { name: "My keys" })).toBeVisible();

  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Expires").selectOption("30");
  await page.getByRole("button", { name: "Issue key" }).click();
  const shown = page.getByTestId("new-key");
  await expect(shown).toBeVisible();
  const plaintext = (await shown.textContent())!.trim();
  expect(plaintext).toMatch(/^kw_[0-9A-Za-z]{36}$/);
  await expect(page.getByText("shown only once")).toBeVisible();

  const verified = await request.post("/api/v1/keys/verify", { data: { key: plaintext } });
  expect(await verified.json()).toMatchObject({ valid: true, code: "VALID", name });

  await page.getByRole("button", { name: "Done" }).click();
  await page.reload();
  await expect(page.getByText(plaintext)).toHaveCount(0); // never shown again
  const row = page.getByTestId("key-row").filter({ hasText: name });
  await expect(row).toContainText(`${plaintext.slice(0, 7)}…${plaintext.slice(-4)}`);

  page.once("dialog", (dialog) => void dialog.accept());
  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  await expect(page.getByTestId("key-row").filter({ hasText: name })).toHaveCount(0);

  const refused = await request.post("/api/v1/keys/verify", { data: { key: plaintext } });
  expect(await refused.json()).toMatchObject({ valid: false, code: "REVOKED", reason: "REVOKED" });

  await page.getByRole("link", { name: "Blacklisted" }).click();
  const blacklisted = page.getByTestId("key-row").filter({ hasText: name });
  await expect(blacklisted).toBeVisible();
  await expect(blacklisted).toContainText("revoked");
});
