// My keys in a real browser: the new key shown once with a copy button, table state in the
// URL, the renewal banner, rotation with grace. Each test has its own user.
import { announceKeyChange } from "../test-support/key-change";
import { expect, seedKey, signInAsNewUser, test } from "./support";

const DAY = 86_400_000;

test.use({ storageState: { cookies: [], origins: [] } });

test("a new key is shown once, copies to the clipboard, and is gone after a reload", async ({ page, db, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signInAsNewUser(page, db);
  await page.goto("/keys");
  await expect(page.getByText("No active keys")).toBeVisible();
  await page.getByRole("button", { name: "Issue a key" }).click();
  const dialog = page.getByRole("dialog", { name: "Issue a key" });
  await dialog.getByLabel("Name").fill("copy-me");
  await dialog.getByLabel("write").check();
  await dialog.getByRole("button", { name: "Issue key" }).click();
  const plaintext = (await dialog.getByTestId("new-key").textContent())!.trim();
  await dialog.getByRole("button", { name: "Copy" }).click();
  await expect(dialog.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(plaintext);
  // Closing the dialog (Escape) refreshes the list without a full reload.
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("key-row").filter({ hasText: "copy-me" })).toContainText("write");
  await page.reload();
  await expect(page.getByTestId("key-row").filter({ hasText: "copy-me" })).toBeVisible();
  await expect(page.getByText(plaintext)).toHaveCount(0);
});

test("filter, sort and paginate live in the URL and survive a reload", async ({ page, db }) => {
  const user = await signInAsNewUser(page, db);
  for (let i = 0; i < 23; i++) {
    await seedKey(db, {
      userId: user.id,
      name: `svc-${String(i).padStart(2, "0")}`,
      expiresAt: new Date(Date.now() + (20 + i) * DAY),
    });
  }
  await seedKey(db, { userId: user.id, name: "other-thing" });
  await page.goto("/keys");
  await expect(page.getByTestId("key-row")).toHaveCount(20);
  await expect(page.getByText("Showing 1–20 of 24")).toBeVisible();

  await page.getByRole("button", { name: "Next" }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(page.getByTestId("key-row")).toHaveCount(4);

  await page.getByRole("button", { name: "Name" }).click();
  await expect(page).toHaveURL(/sort=name&dir=asc/);
  await expect(page).not.toHaveURL(/page=2/); // a new sort starts at page 1
  await expect(page.getByTestId("key-row").first()).toContainText("other-thing");

  await page.getByRole("searchbox", { name: "Filter keys by name or prefix" }).fill("svc-1");
  await expect(page).toHaveURL(/q=svc-1/);
  await expect(page.getByTestId("key-row")).toHaveCount(10);
  await page.getByRole("button", { name: "Name" }).click(); // now descending
  await expect(page).toHaveURL(/dir=desc/);
  await expect(page.getByTestId("key-row").first()).toContainText("svc-19");

  await page.reload();
  await expect(page.getByRole("searchbox", { name: "Filter keys by name or prefix" })).toHaveValue("svc-1");
  await expect(page.getByTestId("key-row")).toHaveCount(10);
  await expect(page.getByTestId("key-row").first()).toContainText("svc-19");
});

test("the renewal banner appears for a key inside the window; after renewal it points at the old key until its grace ends", async ({
  page,
  db,
  request,
}) => {
  const user = await signInAsNewUser(page, db);
  await seedKey(db, { userId: user.id, name: "far-away", expiresAt: new Date(Date.now() + 60 * DAY) });
  await page.goto("/keys");
  await expect(page.getByTestId("renewal-banner")).toHaveCount(0);

  const soon = await seedKey(db, {
    userId: user.id,
    name: "nightly-job",
    scopes: ["read", "write"],
    expiresAt: new Date(Date.now() + 2 * DAY),
  });
  await page.reload();
  const banner = page.getByTestId("renewal-banner");
  await expect(banner).toContainText("1 key expires within 7 days");
  await page.goto("/keys?tab=active");
  await expect(banner).toBeVisible(); // on every portal page
  await banner.getByRole("link", { name: "Renew" }).click();

  const dialog = page.getByRole("dialog", { name: "Renew “nightly-job”" });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("The old key").selectOption("24h");
  await dialog.getByRole("button", { name: "Renew key" }).click();
  const plaintext = (await dialog.getByTestId("new-key").textContent())!.trim();
  await dialog.getByRole("button", { name: "Done" }).click();
  // The old key still works for 24 hours, inside the window: it still counts, with nothing to
  // renew; the banner opens its page, which says when it stops and can revoke it now.
  await expect(banner).toContainText("1 key expires within 7 days — “nightly-job”, replaced: it stops working then");
  await expect(banner.getByRole("link", { name: "Renew" })).toHaveCount(0);
  await expect(banner.getByRole("link", { name: "Open “nightly-job”" })).toHaveAttribute("href", `/keys/${soon.id}`);

  const renewed = await request.post("/api/v1/keys/verify", { data: { key: plaintext } });
  expect(await renewed.json()).toMatchObject({ code: "VALID", name: "nightly-job", scopes: ["read", "write"] });
  const old = await request.post("/api/v1/keys/verify", { data: { key: soon.plaintext } });
  expect(await old.json()).toMatchObject({ code: "VALID", graceEndsAt: expect.any(String) }); // still in grace
});

test("rotate with a grace period: the old key keeps verifying until it ends", async ({ page, db, request }) => {
  const user = await signInAsNewUser(page, db);
  const key = await seedKey(db, { userId: user.id, name: "worker", expiresAt: new Date(Date.now() + 40 * DAY) });
  await page.goto(`/keys/${key.id}`);
  await page.getByRole("button", { name: "Rotate" }).click();
  const dialog = page.getByRole("dialog", { name: "Rotate “worker”" });
  await dialog.getByLabel("The old key").selectOption("1h");
  await dialog.getByRole("button", { name: "Rotate key" }).click();
  const plaintext = (await dialog.getByTestId("new-key").textContent())!.trim();
  await dialog.getByRole("button", { name: "Done" }).click();

  await expect(page).not.toHaveURL(new RegExp(key.id)); // on the new key's page
  await expect(page.getByRole("link", { name: /kw_/ }).first()).toBeVisible();
  expect(await (await request.post("/api/v1/keys/verify", { data: { key: plaintext } })).json()).toMatchObject({
    code: "VALID",
  });
  expect(await (await request.post("/api/v1/keys/verify", { data: { key: key.plaintext } })).json()).toMatchObject({
    code: "VALID",
  });

  await page.goto(`/keys/${key.id}`);
  await expect(page.getByText(/This key stops working in (\d+ minutes|1 hour)/)).toBeVisible();
  await expect(page.getByText("Rotated")).toBeVisible(); // history

  // The grace period ends (moved into the past): refused at once, as REVOKED/ROTATED.
  await db.apiKey.update({ where: { id: key.id }, data: { graceEndsAt: new Date(Date.now() - 1000) } });
  await announceKeyChange(db, key.id);
  expect(await (await request.post("/api/v1/keys/verify", { data: { key: key.plaintext } })).json()).toMatchObject({
    code: "REVOKED",
    reason: "ROTATED",
  });
});

test("another user's key page is a 404 that shows nothing of the key", async ({ page, db }) => {
  const other = await signInAsNewUser(page, db);
  const key = await seedKey(db, { userId: other.id, name: "someone-elses" });
  await signInAsNewUser(page, db); // now someone else
  const response = await page.goto(`/keys/${key.id}`);
  expect(response?.status()).toBe(404);
  await expect(page.getByText("No such key")).toBeVisible();
  await expect(page.getByText("someone-elses")).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Rotate|Renew|Revoke/ })).toHaveCount(0);
});
