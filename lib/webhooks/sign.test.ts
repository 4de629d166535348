import { describe, expect, it } from "vitest";
import { newWebhookSecret } from "./secrets";
import { signature, verifyWebhook, webhookHeaders } from "./sign";

describe("Standard Webhooks signatures", () => {
  it("matches the specification's example", () => {
    // The example from the Standard Webhooks specification.
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const body = '{"test": 2432232314}';
    expect(signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body)).toBe(
      "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    );
  });

  it("verifies any of several signatures (a secret roll), and refuses tampering and old timestamps", () => {
    const [old, current] = [newWebhookSecret(), newWebhookSecret()];
    const now = 1_800_000_000_000;
    const timestamp = now / 1000;
    const body = '{"type":"key.revoked"}';
    const headers = webhookHeaders([current, old], "evt_1", timestamp, body);
    const received = {
      id: headers["webhook-id"]!,
      timestamp: headers["webhook-timestamp"]!,
      signature: headers["webhook-signature"]!,
    };
    expect(verifyWebhook(old, received, body, now)).toBe(true);
    expect(verifyWebhook(current, received, body, now)).toBe(true);
    expect(verifyWebhook(newWebhookSecret(), received, body, now)).toBe(false);
    expect(verifyWebhook(current, received, `${body} `, now)).toBe(false);
    expect(verifyWebhook(current, { ...received, id: "evt_2" }, body, now)).toBe(false);
    expect(verifyWebhook(current, received, body, now + 301_000)).toBe(false);
  });
});
