// Webhooks in the browser: add an endpoint (its secret shown once), send a test event to a real
// local receiver that checks the signature, watch a key event arrive, redeliver it, roll the secret.
import { startWebhookReceiver } from "../test-support/webhook-receiver";
import { expect, seedKey, signInAsNewUser, test } from "./support";

test.use({ storageState: { cookies: [], origins: [] } });

test("add an endpoint, test it, see a key event delivered, redeliver it, roll the secret", async ({ page, db }) => {
  const receiver = await startWebhookReceiver();
  try {
    const user = await signInAsNewUser(page, db);
    await page.goto("/webhooks");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await page.getByLabel("URL").fill(receiver.url);
    await page.getByLabel("key.created").uncheck();
    await page.getByRole("button", { name: "Add endpoint" }).last().click();
    const secret = (await page.getByTestId("webhook-secret").textContent())!;
    expect(secret).toMatch(/^whsec_/);
    receiver.secrets.push(secret);
    await page.getByRole("button", { name: "Done" }).click();

    await page.getByRole("link", { name: receiver.url }).click();
    await page.getByRole("button", { name: "Send a test event" }).click();
    await expect(page.getByText(/The test event was delivered \(HTTP 204/)).toBeVisible();
    expect(receiver.received.at(-1)!.validFor).toEqual([secret]);

    const key = await seedKey(db, { userId: user.id, name: "watched" });
    await page.request.post(`/api/v1/keys/${key.id}/revoke`, { data: {} });
    await receiver.waitFor((r) => r.some((d) => d.payload.type === "key.revoked"));
    // The receiver has the request before Keyward has its answer and records the delivery as
    // done: the page, which does not refresh itself, is reloaded until it says so.
    const row = page.getByTestId("delivery-row").filter({ hasText: "key.revoked" });
    await expect(async () => {
      await page.reload();
      await expect(row).toContainText("delivered", { timeout: 1000 });
    }).toPass({ timeout: 15_000 });
    await row.getByRole("button", { name: "Redeliver" }).click();
    await expect(page.getByText("Queued")).toBeVisible();
    await receiver.waitFor((r) => r.filter((d) => d.payload.type === "key.revoked").length === 2);

    await page.getByRole("button", { name: "Roll secret" }).click();
    await page.getByRole("dialog", { name: "Are you sure?" }).getByRole("button", { name: "Roll secret" }).click();
    await expect(page.getByTestId("webhook-secret")).toHaveText(/^whsec_/);
    expect(await page.getByTestId("webhook-secret").textContent()).not.toBe(secret);
  } finally {
    await receiver.close();
  }
});
