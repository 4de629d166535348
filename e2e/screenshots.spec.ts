// Screenshots of the main screens, light and dark, written where the README shows them
// (docs/screenshots/), so each e2e run refreshes them. The data is the quick start's demo, seeded
// afresh the way `npm start` seeds it, so what the pictures show adds up (a key's last use beside
// its verifications, its usage and its history).
import { runDemoSeed } from "../prisma/seed/bootstrap";
import { expect, signInByApi, test } from "./support";

const OUT = "docs/screenshots";

test.use({ storageState: { cookies: [], origins: [] }, viewport: { width: 1280, height: 860 } });

for (const scheme of ["light", "dark"] as const) {
  test(`screenshots (${scheme})`, async ({ page, db, browser }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: scheme });
    const tag = `${scheme}-${Date.now().toString(36)}`;
    const seeded = await runDemoSeed(
      {
        admin: { email: `shots-admin-${tag}@example.test`, password: `admin-${tag}` },
        demoPassword: `demo-${tag}`,
        demoEmail: `shots-${tag}@example.test`,
      },
      process.env,
    );
    await signInByApi(page, seeded.demo.email, seeded.demo.password);

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

    const detail = await db.apiKey.findFirstOrThrow({
      where: { name: "billing-worker (prod)", user: { email: seeded.demo.email } },
      select: { id: true },
    });
    await page.goto(`/keys/${detail.id}`);
    await expect(page.getByRole("heading", { name: /billing-worker/ })).toBeVisible();
    await expect(page.getByRole("img", { name: /^Answers per day:/ })).toBeVisible();
    await page.screenshot({ path: `${OUT}/key-detail-${scheme}.png`, fullPage: true });

    const team = await db.team.findFirstOrThrow({
      where: { members: { some: { user: { email: seeded.demo.email }, role: "OWNER" } } },
      select: { slug: true, name: true },
    });
    await page.goto(`/teams/${team.slug}`);
    await expect(page.getByRole("heading", { name: team.name })).toBeVisible();
    await page.screenshot({ path: `${OUT}/team-${scheme}.png`, fullPage: true });

    await page.goto("/settings/tokens");
    await page.getByRole("button", { name: "Make a token" }).click();
    await page.getByLabel("Name").fill("ci: rotate billing-worker");
    await page.getByLabel("keys:write").check();
    await page.getByRole("button", { name: "Make token" }).click();
    await expect(page.getByTestId("new-token")).toBeVisible();
    await page.getByRole("button", { name: "Done" }).click();
    await expect(page.getByTestId("tokens-table")).toBeVisible();
    await page.screenshot({ path: `${OUT}/tokens-${scheme}.png`, fullPage: true });

    const adminContext = await browser.newContext({
      storageState: { cookies: [], origins: [] },
      viewport: { width: 1280, height: 860 },
      colorScheme: scheme,
    });
    const adminPage = await adminContext.newPage();
    await signInByApi(adminPage, seeded.admin.email, seeded.admin.password);
    await adminPage.goto("/admin/keys");
    await expect(adminPage.getByRole("heading", { name: "All keys" })).toBeVisible();
    await adminPage.screenshot({ path: `${OUT}/admin-keys-${scheme}.png`, fullPage: true });
    await adminPage.goto("/admin/usage");
    await expect(adminPage.getByRole("heading", { name: "Usage" })).toBeVisible();
    await adminPage.screenshot({ path: `${OUT}/admin-usage-${scheme}.png`, fullPage: true });
    await adminContext.close();
  });
}
