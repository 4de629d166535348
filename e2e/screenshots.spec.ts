// Screenshots of the main screens, light and dark, for people (README shows copies from docs/).
// Written to e2e/screenshots/ (git-ignored); `cp e2e/screenshots/*.png docs/screenshots/` to update.
import { expect, seedKey, signInAsNewUser, test } from "./support";

const DAY = 86_400_000;
const OUT = "e2e/screenshots";

test.use({ storageState: { cookies: [], origins: [] }, viewport: { width: 1280, height: 860 } });

for (const scheme of ["light", "dark"] as const) {
  test(`screenshots (${scheme})`, async ({ page, db }) => {
    await page.emulateMedia({ colorScheme: scheme });
    const user = await signInAsNewUser(page, db, "ADMIN");
    const now = Date.now();
    const make = (name: string, days: number, extra: Partial<Parameters<typeof seedKey>[1]> = {}) =>
      seedKey(db, { userId: user.id, name, expiresAt: new Date(now + days * DAY), createdAt: new Date(now - 20 * DAY), ...extra });
    await make("billing-worker (prod)", 64, { scopes: ["read", "write"], lastUsedAt: new Date(now - 3600_000) });
    await make("nightly-export", 2, { lastUsedAt: new Date(now - 9 * 3600_000) });
    await make("search-indexer", 23);
    await make("analytics-pipeline", 41, { scopes: ["read", "write"] });
    for (let i = 0; i < 12; i++) await make(`edge-cache-${i + 1}`, 5 + i * 7);
    const detail = await make("payments-api", 5, { scopes: ["read", "write"], lastUsedAt: new Date(now - 600_000) });

    await page.goto("/keys");
    await expect(page.getByTestId("key-row").first()).toBeVisible();
    await page.screenshot({ path: `${OUT}/my-keys-${scheme}.png`, fullPage: true });

    await page.getByRole("button", { name: "Issue a key" }).click();
    const dialog = page.getByRole("dialog", { name: "Issue a key" });
    await dialog.getByLabel("Name").fill("deploy-bot");
    await dialog.getByRole("button", { name: "Issue key" }).click();
    await expect(dialog.getByTestId("new-key")).toBeVisible();
    await page.screenshot({ path: `${OUT}/issue-dialog-${scheme}.png` });
    await page.keyboard.press("Escape");

    await page.goto(`/keys/${detail.id}`);
    await expect(page.getByRole("heading", { name: /payments-api/ })).toBeVisible();
    await page.screenshot({ path: `${OUT}/key-detail-${scheme}.png`, fullPage: true });

    await page.goto("/admin/keys");
    await expect(page.getByRole("heading", { name: "All keys" })).toBeVisible();
    await page.screenshot({ path: `${OUT}/admin-keys-${scheme}.png`, fullPage: true });
  });
}
