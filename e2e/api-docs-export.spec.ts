// The API reference renders under the CSP, and the audit page's export buttons download files.
import { readFile } from "node:fs/promises";
import { expect, seedUser, signInByApi, test } from "./support";

const unique = () => `${test.info().workerIndex}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

test("/docs/api renders the operations from the OpenAPI document", async ({ page }) => {
  await page.goto("/docs/api");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  const exportOperation = page.locator("article#adminExportAudit");
  await expect(exportOperation).toBeVisible();
  await expect(exportOperation.getByText("/api/v1/admin/audit/export", { exact: true })).toBeVisible();
  await expect(exportOperation.getByText("Download the audit log (CSV or JSON Lines)")).toBeVisible();
  await expect(page.getByRole("link", { name: "/api/openapi.json" })).toBeVisible();
  // The descriptions' `code` and **bold** are shown as such, never as raw marks.
  const body = await page.locator("main").first().innerText();
  expect(body).not.toMatch(/`|\*\*/);
  await expect(
    page
      .locator("article#verifyKey code")
      .filter({ hasText: "Authorization: Bearer <API token with the verify scope>" }),
  ).toBeVisible();
});

test("the site has an icon", async ({ page, request }) => {
  await page.goto("/sign-in");
  const href = await page.locator('link[rel="icon"]').first().getAttribute("href");
  expect(href).toBeTruthy();
  const icon = await request.get(href!);
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toContain("image/svg+xml");
});

test("the audit page's export buttons download CSV and JSON Lines", async ({ page, db }) => {
  const admin = await seedUser(db, { email: `admin-${unique()}@example.test`, role: "ADMIN" });
  await signInByApi(page, admin.email, admin.password);
  await page.goto("/admin/audit");
  await page.getByText("Export", { exact: true }).click();

  const [csv] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download CSV" }).click(),
  ]);
  expect(csv.suggestedFilename()).toMatch(/^keyward-audit-\d{8}T\d{6}Z\.csv$/);
  const csvText = await readFile((await csv.path())!, "utf8");
  expect(csvText.split("\r\n")[0]).toBe("id,at,actorId,actorLabel,action,keyId,teamId,ip,detail,actorTokenId");
  // The admin's own sign-in is in the log they downloaded.
  expect(csvText).toContain(admin.email);

  const [jsonl] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download JSON Lines" }).click(),
  ]);
  expect(jsonl.suggestedFilename()).toMatch(/\.jsonl$/);
  const lines = (await readFile((await jsonl.path())!, "utf8")).trim().split("\n");
  // The CSV download before this one was recorded as an export.
  expect(lines.map((l) => (JSON.parse(l) as { action: string }).action)).toContain("audit.exported");
});
