// The admin pages in a real browser: blacklisting a pasted leaked key (and its owner seeing it),
// 404 for everyone else, the stopped-cron warning, and the audit log's filters.
import type { Page } from "@playwright/test";
import type { PrismaClient } from "../lib/db/generated/client";
import { expect, seedKey, seedUser, signInByApi, test } from "./support";

const unique = () => `${test.info().workerIndex}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

async function signInAsNewAdmin(db: PrismaClient, page: Page) {
  const admin = await seedUser(db, { email: `admin-${unique()}@example.test`, role: "ADMIN" });
  await signInByApi(page, admin.email, admin.password);
  return admin;
}

const masked = (plaintext: string) => `${plaintext.slice(0, 7)}…${plaintext.slice(-4)}`;

test("an admin blacklists a pasted leaked key; the owner sees it as leaked and verification refuses it", async ({
  page,
  db,
  browser,
  baseURL,
  request,
}) => {
  const owner = await seedUser(db, { email: `owner-${unique()}@example.test` });
  const keyName = `leaky-${unique()}`;
  const key = await seedKey(db, { userId: owner.id, name: keyName });
  await signInAsNewAdmin(db, page);

  await page.goto("/admin/keys");
  await expect(page.getByRole("heading", { name: "All keys" })).toBeVisible();
  // A truncated key is refused with the API's reason, before anything is blacklisted.
  await page.getByLabel("Leaked key", { exact: true }).fill(key.plaintext.slice(0, -1));
  await page.getByRole("button", { name: "Blacklist key" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "not a Keyward key" })).toBeVisible();

  await page.getByLabel("Leaked key", { exact: true }).fill(key.plaintext);
  await page.getByLabel("Reason").selectOption("LEAKED");
  await page.getByLabel("Note (optional)").fill("Found in a public gist");
  await page.getByRole("button", { name: "Blacklist key" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Blacklisted" })).toHaveText(
    `Blacklisted ${masked(key.plaintext)} (${owner.email}) as LEAKED.`,
  );
  // The pasted key is not echoed anywhere once submitted.
  await expect(page.getByLabel("Leaked key", { exact: true })).toHaveValue("");
  expect(await page.content()).not.toContain(key.plaintext);

  await page.getByLabel("Search keys").fill(owner.email);
  await expect(page.getByTestId("admin-key-row").filter({ hasText: keyName })).toContainText("leaked");

  const ownerContext = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  try {
    const ownerPage = await ownerContext.newPage();
    await signInByApi(ownerPage, owner.email, owner.password);
    await ownerPage.goto("/keys?tab=blacklisted");
    await expect(ownerPage.getByTestId("key-row").filter({ hasText: keyName })).toContainText("leaked");
  } finally {
    await ownerContext.close();
  }

  const verified = await request.post("/api/v1/keys/verify", { data: { key: key.plaintext } });
  expect(await verified.json()).toMatchObject({ valid: false, code: "REVOKED", reason: "LEAKED" });
});

test("admin pages and their API answer 404/403 to everyone else, and the header has no Admin link", async ({
  page,
  db,
}) => {
  const user = await seedUser(db, { email: `user-${unique()}@example.test` });
  await signInByApi(page, user.email, user.password);
  for (const path of ["/admin/keys", "/admin/audit", "/admin/sweeps", "/admin/outbox"]) {
    // A real 404 and the not-found page, not a "forbidden" hint that something is here.
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" }), path).toBeVisible();
    await expect(page.getByRole("heading", { name: /All keys|Audit log|Sweeps/ })).toHaveCount(0);
    // Nor does the tab's title say what is there.
    await expect(page).toHaveTitle(/^Page not found/);
  }
  for (const path of ["/api/v1/admin/audit", "/api/v1/admin/sweeps", "/api/v1/admin/outbox"]) {
    expect((await page.request.get(path)).status(), path).toBe(403);
  }
  await page.goto("/keys");
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" })).toHaveCount(0);
});

/**
 * Runs `check` while the database says no sweep has succeeded for over a year, even though other
 * tests run real sweeps at the same time: recent successes are moved back 400 days (more than the
 * largest SWEEP_WARN_AFTER_HOURS), and an EXCLUSIVE lock, which lets the app read SweepRun but
 * makes every writer wait, keeps a new success from appearing until the check is done.
 */
async function whileSweepsLookStopped(db: PrismaClient, check: () => Promise<void>): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const checked = await db.$transaction(
      async (tx) => {
        await tx.$executeRaw`LOCK TABLE "SweepRun" IN EXCLUSIVE MODE`;
        const moved = await tx.$executeRaw`
          UPDATE "SweepRun" SET "startedAt" = "startedAt" - interval '400 days', "finishedAt" = "finishedAt" - interval '400 days'
          WHERE status = 'SUCCEEDED' AND "finishedAt" > now() - interval '400 days'`;
        // The app sees the moved rows only once they commit: commit, then lock again.
        if (moved > 0) return false;
        await check();
        return true;
      },
      { maxWait: 10_000, timeout: 20_000 },
    );
    if (checked) return;
  }
  throw new Error("Sweeps kept succeeding between two locks.");
}

const STOPPED = /No successful sweep in the last \d+ hours|No sweep has ever succeeded/;

test("warns when no sweep succeeded for too long, and stops warning after a successful sweep", async ({
  page,
  db,
  request,
}) => {
  // It holds a table lock in a second session while the app reads the table; the embedded
  // database has one session for every connection, so there the app would wait for the test.
  test.skip(process.env.TEST_DB_KIND === "embedded", "needs a second database session (PostgreSQL)");
  await signInAsNewAdmin(db, page);
  // A success to move into the past: with none at all, a fresh install has missed no run yet.
  expect(
    (
      await request.post("/api/cron/sweep", { headers: { authorization: `Bearer ${process.env.CRON_SECRET}` } })
    ).status(),
  ).toBe(200);
  await whileSweepsLookStopped(db, async () => {
    await page.goto("/admin/sweeps");
    const warning = page.getByRole("alert").filter({ hasText: STOPPED });
    await expect(warning).toBeVisible();
    await expect(warning).toContainText('/api/cron/sweep -H "Authorization: Bearer $CRON_SECRET"');
    await page.goto("/admin/keys");
    await expect(page.getByRole("alert").filter({ hasText: STOPPED })).toContainText("Check the sweeps");
  });

  const swept = await request.post("/api/cron/sweep", {
    headers: { authorization: `Bearer ${process.env.CRON_SECRET}` },
  });
  expect(swept.status()).toBe(200);
  await page.goto("/admin/sweeps");
  await expect(page.getByTestId("sweep-health")).toContainText("Last successful sweep");
  await expect(page.getByRole("alert").filter({ hasText: STOPPED })).toHaveCount(0);
  await expect(page.getByTestId("sweep-row").filter({ hasText: "succeeded" }).first()).toBeVisible();
});

test("a key picked from the table is blacklisted, and the audit log filtered by action shows it", async ({
  page,
  db,
}) => {
  const owner = await seedUser(db, { email: `owner-${unique()}@example.test` });
  const keyName = `audited-${unique()}`;
  const key = await seedKey(db, { userId: owner.id, name: keyName });
  const admin = await signInAsNewAdmin(db, page);

  await page.goto(`/admin/keys?q=${encodeURIComponent(owner.email)}`);
  const row = page.getByTestId("admin-key-row").filter({ hasText: keyName });
  await row.getByRole("button", { name: `Blacklist ${keyName}` }).click();
  const form = page.getByTestId("blacklist-form");
  await expect(form).toContainText(masked(key.plaintext));
  await expect(form.getByLabel("Leaked key", { exact: true })).toHaveCount(0);
  await expect(page.getByLabel("Reason")).toBeFocused();
  await page.getByLabel("Reason").selectOption("REVOKED");
  await page.getByLabel("Note (optional)").fill("audit e2e");
  await page.getByRole("button", { name: "Blacklist key" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Blacklisted" })).toHaveText(
    `Blacklisted ${masked(key.plaintext)} (${owner.email}) as REVOKED.`,
  );
  await expect(row).toContainText("revoked");

  await page.goto("/admin/audit");
  await page.getByLabel("Filter by actor").fill(admin.email);
  await expect(page).toHaveURL(/actor=/);
  await page.getByLabel("Filter by action").selectOption("key.blacklisted");
  await expect(page).toHaveURL(/action=key\.blacklisted/);
  const event = page.getByTestId("audit-row").filter({ hasText: key.id.slice(0, 8) });
  await expect(event).toContainText("Key blacklisted");
  await expect(event).toContainText(admin.email);
  await expect(event).toContainText("reason: REVOKED");
  await expect(event).toContainText("note: audit e2e");

  await page.getByLabel("Filter by action").selectOption("key.issued");
  await expect(page).toHaveURL(/action=key\.issued/);
  await expect(page.getByTestId("audit-row").filter({ hasText: key.id.slice(0, 8) })).toHaveCount(0);
});

test("admin pages fit a phone: tables scroll inside their frame, the page does not", async ({ page, db }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await signInAsNewAdmin(db, page);
  for (const path of ["/admin/keys", "/admin/audit", "/admin/sweeps"]) {
    await page.goto(path);
    await expect(page.getByRole("table")).toBeVisible();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, path).toBeLessThanOrEqual(0);
  }
});
