// A key expiring tomorrow: the banner and the notice are there, the reminder email's renew link
// (followed while signed out) lands on the renew dialog after sign-in, and the old key stops
// verifying when the chosen grace period ends.
import { announceKeyChange } from "../test-support/key-change";
import { expect, seedKey, seedUser, test } from "./support";

test.use({ storageState: { cookies: [], origins: [] } });

test("from the reminder email to a renewed key", async ({ page, db, request }) => {
  const owner = await seedUser(db, { name: "Remy" });
  const old = await seedKey(db, {
    userId: owner.id,
    name: "payments-prod",
    scopes: ["read", "write"],
    expiresAt: new Date(Date.now() + 86_400_000 - 60_000),
  });

  const swept = await request.post("/api/cron/sweep", {
    headers: { authorization: `Bearer ${process.env.CRON_SECRET}` },
  });
  expect(swept.status()).toBe(200);
  // No SMTP server in this run: the email waits in the outbox, exactly as it would be sent.
  const email = await db.emailMessage.findFirstOrThrow({ where: { userId: owner.id }, orderBy: { createdAt: "desc" } });
  expect(email).toMatchObject({ status: "STORED", subject: "[Keyward] Your API key expires within 1 day" });
  const link = /https?:\/\/\S+\/keys\/\S+\?renew=1/.exec(email.text ?? "")?.[0];
  expect(link).toContain(old.id);

  await page.goto(link!);
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
  await page.getByLabel("Email").fill(owner.email);
  await page.getByLabel("Password").fill(owner.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();

  const dialog = page.getByRole("dialog", { name: "Renew “payments-prod”" });
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId("renewal-banner")).toContainText("1 key expires within 7 days");
  await expect(page.getByTestId("notification-bell")).toHaveAccessibleName(/1 unread/);

  await dialog.getByLabel("The old key").selectOption("1h");
  await dialog.getByRole("button", { name: "Renew key" }).click();
  const plaintext = (await dialog.getByTestId("new-key").textContent())!.trim();
  await dialog.getByRole("button", { name: "Done" }).click();
  // The old key works one more hour: still counted, now as replaced, with nothing to renew.
  await expect(page.getByTestId("renewal-banner")).toContainText("“payments-prod”, replaced: it stops working then");
  await expect(page.getByTestId("renewal-banner").getByRole("link", { name: "Renew" })).toHaveCount(0);

  await page.getByTestId("notification-bell").click();
  const notice = page.getByTestId("notification").filter({ hasText: "payments-prod" });
  await expect(notice).toContainText("expires tomorrow");
  await notice.getByRole("button", { name: "Mark read" }).click();
  await expect(page.getByTestId("notification-bell")).toHaveAccessibleName("Notifications");

  const verify = async (key: string) =>
    (await (await request.post("/api/v1/keys/verify", { data: { key } })).json()) as { code: string; reason?: string };
  expect(await verify(plaintext)).toMatchObject({ code: "VALID" });
  expect(await verify(old.plaintext)).toMatchObject({ code: "VALID" }); // in its hour of grace
  await db.apiKey.update({ where: { id: old.id }, data: { graceEndsAt: new Date(Date.now() - 1000) } }); // the hour passes
  await announceKeyChange(db, old.id);
  expect(await verify(old.plaintext)).toMatchObject({ code: "REVOKED", reason: "ROTATED" });
});
