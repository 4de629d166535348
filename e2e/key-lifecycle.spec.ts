// The core journey in a real browser, as the demo user: issue a key, see it once, verify it
// over HTTP, revoke it, find it under Blacklisted.
import { expect, test } from "./support";

test("issue, see once, verify, revoke, find under blacklisted", async ({ page, request }) => {
  const name = `e2e-${test.info().workerIndex}-${Date.now()}`;
  await page.goto("/keys");
  await expect(page.getByRole("heading", { name: "My keys" })).toBeVisible();

  await page.getByRole("button", { name: "Issue a key" }).click();
  const dialog = page.getByRole("dialog", { name: "Issue a key" });
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("Expires").selectOption("30");
  await dialog.getByRole("button", { name: "Issue key" }).click();
  const shown = dialog.getByTestId("new-key");
  await expect(shown).toBeVisible();
  const plaintext = (await shown.textContent())!.trim();
  expect(plaintext).toMatch(/^kw_[0-9A-Za-z]{36}$/);
  await expect(dialog.getByText("shown only once")).toBeVisible();

  const verified = await request.post("/api/v1/keys/verify", { data: { key: plaintext } });
  expect(await verified.json()).toMatchObject({ valid: true, code: "VALID", name });

  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByTestId("key-row").filter({ hasText: name });
  await expect(row).toContainText(`${plaintext.slice(0, 7)}…${plaintext.slice(-4)}`);
  await page.reload();
  await expect(page.getByText(plaintext)).toHaveCount(0); // never shown again

  await row.getByRole("link", { name }).click();
  await page.getByRole("button", { name: "Revoke" }).click();
  const confirm = page.getByRole("dialog", { name: `Revoke “${name}”?` });
  await confirm.getByLabel("Note (optional)").fill("e2e");
  await confirm.getByRole("button", { name: "Revoke key" }).click();
  await expect(page.getByText("Blacklisted as REVOKED")).toBeVisible();

  const refused = await request.post("/api/v1/keys/verify", { data: { key: plaintext } });
  expect(await refused.json()).toMatchObject({ valid: false, code: "REVOKED", reason: "REVOKED" });

  await page.goto("/keys?tab=blacklisted");
  const blacklisted = page.getByTestId("key-row").filter({ hasText: name });
  await expect(blacklisted).toBeVisible();
  await expect(blacklisted).toContainText("revoked");
});
