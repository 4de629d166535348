// postWebhook against a real local receiver: an address that is not public is refused at every
// delivery, not only when the endpoint was saved (WEBHOOK_ALLOW_PRIVATE may have been true then),
// IP literals included, for which Node never calls the `lookup` hook; nothing is sent to a
// refused target, nothing read from it, and the error does not say what a name resolved to.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWebhookReceiver, type WebhookReceiver } from "@/test-support/webhook-receiver";
import { postWebhook } from "./send";
import { REFUSED_TARGET } from "./target-guard";

let receiver: WebhookReceiver;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
afterAll(() => receiver.close());

describe("postWebhook", () => {
  it("refuses a private target when private targets are not allowed, though it delivered there while they were", async () => {
    const port = new URL(receiver.url).port;
    // Delivered while allowed; by name, the connection is kept alive and would be reused without
    // a `lookup` (so only the check on the socket itself stands in the way).
    expect(await postWebhook(receiver.url, {}, "{}", true)).toMatchObject({ ok: true, status: 204 });
    expect(await postWebhook(`http://localhost:${port}/hooks`, {}, "{}", true)).toMatchObject({
      ok: true,
      status: 204,
    });
    expect(receiver.received).toHaveLength(2);
    const connections = receiver.connections;

    for (const host of ["127.0.0.1", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "0.0.0.0", "localhost"]) {
      const result = await postWebhook(`http://${host}:${port}/hooks`, {}, "{}", false);
      expect(result, host).toMatchObject({ ok: false, status: null, error: REFUSED_TARGET });
    }
    expect(receiver.received).toHaveLength(2);
    expect(receiver.connections).toBe(connections);
  });
});
