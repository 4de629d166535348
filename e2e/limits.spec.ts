// Per-key limits in a real browser: chosen in the issue dialog, shown on the key's page, changed
// there, and obeyed by verification at once. Each test has its own user.
import { expect, seedKey, seedToken, signInAsNewUser, test } from "./support";

test.use({ storageState: { cookies: [], origins: [] } });

test("limits set at issue show on the key page, and a change there applies to the next verification", async ({
  page,
  db,
  request,
}) => {
  const user = await signInAsNewUser(page, db);
  await page.goto("/keys");
  await page.getByRole("button", { name: "Issue a key" }).click();
  const dialog = page.getByRole("dialog", { name: "Issue a key" });
  await dialog.getByLabel("Name").fill("limited-worker");
  await dialog.getByText("Limits (optional)").click();
  await dialog.getByLabel("Rate limit", { exact: true }).fill("100");
  await dialog.getByLabel("Window").selectOption("hour");
  await dialog.getByLabel("Allowed IPs").fill("203.0.113.9/24\n2001:db8::/32");
  await dialog.getByLabel("Usage cap").fill("500");
  await dialog.getByRole("button", { name: "Issue key" }).click();
  const plaintext = (await dialog.getByTestId("new-key").textContent())!.trim();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  // The service checking the key names its client's address: it is a verifier (an API token with
  // the verify scope), the only caller whose `ip` is believed.
  const verifier = (await seedToken(db, { userId: user.id, scopes: ["verify"] })).plaintext;
  const verify = async (ip?: string) =>
    (await (
      await request.post("/api/v1/keys/verify", {
        data: ip ? { key: plaintext, ip } : { key: plaintext },
        headers: ip ? { authorization: `Bearer ${verifier}` } : {},
      })
    ).json()) as Record<string, unknown>;
  expect(await verify()).toMatchObject({ code: "IP_REQUIRED" });
  expect(await verify("203.0.113.77")).toMatchObject({ code: "VALID", ratelimit: { limit: 100, remaining: 99 } });

  const key = await db.apiKey.findFirstOrThrow({
    where: { userId: user.id, name: "limited-worker" },
    select: { id: true },
  });
  await page.goto(`/keys/${key.id}`);
  const card = page.getByTestId("key-limits");
  await expect(card).toContainText("100 per hour");
  await expect(card).toContainText("203.0.113.0/24"); // stored as the network
  await expect(card).toContainText("2001:db8::/32");
  await expect(card).toContainText("of 500 used");

  await page.getByRole("button", { name: "Change limits" }).click();
  const change = page.getByRole("dialog", { name: "Limits of “limited-worker”" });
  await expect(change.getByLabel("Rate limit", { exact: true })).toHaveValue("100"); // starts from what the key has
  await change.getByLabel("Rate limit", { exact: true }).fill("");
  await change.getByLabel("Allowed IPs").fill("198.51.100.7");
  await change.getByLabel("Usage cap").fill("1000");
  await change.getByRole("button", { name: "Save limits" }).click();
  await expect(change).toBeHidden();

  await expect(card.locator("div", { has: page.getByText("Rate limit", { exact: true }) })).toContainText("None");
  await expect(card).toContainText("198.51.100.7/32");
  await expect(card).not.toContainText("203.0.113.0/24");
  await expect(card).toContainText("of 1,000 used");
  await expect(page.getByText("Limits changed")).toBeVisible(); // history
  expect(await verify("203.0.113.77")).toMatchObject({ code: "IP_NOT_ALLOWED" });
  const valid = await verify("198.51.100.7");
  expect(valid).toMatchObject({ code: "VALID" });
  expect(valid).not.toHaveProperty("ratelimit");
});

test("a limit the server refuses is explained in the dialog, and nothing changes", async ({ page, db }) => {
  const user = await signInAsNewUser(page, db);
  const key = await seedKey(db, { userId: user.id, name: "careful" });
  await page.goto(`/keys/${key.id}`);
  await expect(page.getByTestId("key-limits")).toContainText("Any address");
  await page.getByRole("button", { name: "Change limits" }).click();
  const change = page.getByRole("dialog", { name: "Limits of “careful”" });
  await change.getByLabel("Allowed IPs").fill("10.0.0.0/33");
  await change.getByRole("button", { name: "Save limits" }).click();
  await expect(change.getByRole("alert")).toContainText("10.0.0.0/33");
  await change.getByRole("button", { name: "Cancel" }).click();
  await page.reload();
  await expect(page.getByTestId("key-limits")).toContainText("Any address");
});
