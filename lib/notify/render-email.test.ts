import { describe, expect, it } from "vitest";
import { CREATOR_LOST_ACCESS, isNoticeKind, noticeLine, whenInOwnersTerms } from "./notice-text";
import { renderEmail } from "./render-email";

const now = new Date("2026-11-28T14:00:00.000Z");

describe("email rendering", () => {
  it("names each key and its expiry in the owner's terms, with a renew link", () => {
    const email = renderEmail(
      { name: "Ada", timeZone: "UTC" },
      {
        kind: "REMINDER",
        windowDays: 7,
        items: [
          {
            keyId: "k1",
            keyName: "billing",
            keyMasked: "kw_Ab3x…9f2Q",
            keyExpiresAt: new Date("2026-12-05T14:00:00.000Z"),
          },
          {
            keyId: "k2",
            keyName: "export <prod>",
            keyMasked: "kw_Zz11…0000",
            keyExpiresAt: new Date("2026-12-04T09:30:00.000Z"),
          },
        ],
      },
      "https://keys.example.com",
      now,
    );
    expect(email.subject).toBe("[Keyward] 2 keys expire within 7 days");
    expect(email.text).toContain("“billing” (kw_Ab3x…9f2Q) expires in 7 days, on 5 Dec 2026, 14:00 UTC.");
    expect(email.text).toContain("Renew: https://keys.example.com/keys/k1?renew=1");
    expect(email.html).toContain('<a href="https://keys.example.com/keys/k2?renew=1">Renew</a>');
    expect(email.html).toContain("export &lt;prod&gt;"); // escaped
  });

  it("a rotated key's reminder says when it stops working and links to its page, not to a renewal", () => {
    const email = renderEmail(
      { name: "Ada", timeZone: "UTC" },
      {
        kind: "REMINDER",
        windowDays: 1,
        items: [
          {
            keyId: "old",
            keyName: "search",
            keyMasked: "kw_Old1…aaaa",
            keyExpiresAt: new Date("2026-11-29T14:00:00.000Z"),
            reason: "ROTATED",
          },
        ],
      },
      "https://keys.example.com",
      now,
    );
    expect(email.text).toContain(
      "“search” (kw_Old1…aaaa) was replaced and stops working tomorrow, on 29 Nov 2026, 14:00 UTC.",
    );
    expect(email.text).toContain("View key: https://keys.example.com/keys/old\n");
    expect(email.text).not.toContain("renew=1");
  });

  it("uses the owner's time zone", () => {
    expect(whenInOwnersTerms(new Date("2026-12-05T14:00:00.000Z"), now, "Europe/Berlin")).toBe(
      "in 7 days, on 5 Dec 2026, 15:00 CET",
    );
    expect(whenInOwnersTerms(new Date("2026-11-29T14:00:00.000Z"), now, "Not/AZone")).toBe(
      "tomorrow, on 29 Nov 2026, 14:00 UTC",
    );
  });

  it("lists the first keys and counts the rest", () => {
    const item = { keyId: "k", keyName: "n", keyMasked: "m", keyExpiresAt: new Date("2026-12-01T00:00:00Z") };
    const email = renderEmail(
      { name: null, timeZone: "UTC" },
      { kind: "REMINDER", windowDays: 7, items: [item], more: 949 },
      "http://x",
      now,
    );
    expect(email.subject).toBe("[Keyward] 950 keys expire within 7 days");
    expect(email.text).toContain("…and 949 more keys: http://x/keys?view=responsible&tab=expiring");
  });

  it("has a subject for every kind", () => {
    for (const kind of ["EXPIRED", "BLACKLISTED", "GRACE_ENDED"] as const) {
      const email = renderEmail(
        { name: null, timeZone: "UTC" },
        {
          kind,
          windowDays: null,
          items: [{ keyId: "k", keyName: "n", keyMasked: "m", keyExpiresAt: now, reason: "LEAKED" }],
        },
        "http://x",
        now,
      );
      expect(email.subject).toMatch(/^\[Keyward\] /);
      expect(email.text).toContain("“n” (m)");
    }
  });
});

describe("idle keys in email", () => {
  const disablesAt = new Date("2026-12-05T14:00:00.000Z");
  const idleSince = new Date(now.getTime() - 83 * 86_400_000 - 3_600_000);

  it("an idle reminder says how long the key has been unused and when it will be disabled, linking to the key", () => {
    const item = {
      keyId: "k1",
      keyName: "billing",
      keyMasked: "kw_Ab3x…9f2Q",
      keyExpiresAt: disablesAt,
      keyIdleSince: idleSince,
    };
    const one = renderEmail(
      { name: "Ada", timeZone: "UTC" },
      { kind: "IDLE", windowDays: 7, items: [item] },
      "https://keys.example.com",
      now,
    );
    expect(one.subject).toBe("[Keyward] Your unused API key will be disabled within 7 days");
    expect(one.text).toContain(
      "“billing” (kw_Ab3x…9f2Q) has not been used for 83 days: it will be disabled in 7 days, on 5 Dec 2026, 14:00 UTC, unless a service uses it.",
    );
    // Using the key keeps it; renewing is not the point, so the link opens the key.
    expect(one.text).toContain("View key: https://keys.example.com/keys/k1\n");
    expect(one.text).not.toContain("renew=1");
    expect(one.text).toContain("A key counts as used when a service verifies it successfully.");

    const many = renderEmail(
      { name: null, timeZone: "UTC" },
      { kind: "IDLE", windowDays: 1, items: [item], more: 2 },
      "http://x",
      now,
    );
    expect(many.subject).toBe("[Keyward] 3 unused keys will be disabled within 1 day");
    expect(many.text).toContain("…and 2 more keys: http://x/keys\n");
  });

  it("a key disabled as idle reads as such, with the note that says for how long", () => {
    const item = {
      keyId: "k1",
      keyName: "billing",
      keyMasked: "kw_Ab3x…9f2Q",
      keyExpiresAt: null,
      reason: "IDLE",
      note: "Not used for 90 days",
    };
    const email = renderEmail(
      { name: null, timeZone: "UTC" },
      { kind: "BLACKLISTED", windowDays: null, items: [item] },
      "http://x",
      now,
    );
    expect(email.subject).toBe("[Keyward] Your API key was blacklisted");
    expect(email.text).toContain(
      "“billing” (kw_Ab3x…9f2Q) was disabled (blacklisted as IDLE): not used for 90 days. It no longer works; issue a new key if you still need one.",
    );
  });

  it("the in-app notice without the idle start still reads", () => {
    expect(noticeLine("IDLE", { keyId: "k", keyName: "n", keyMasked: "m", keyExpiresAt: disablesAt }, now, "UTC")).toBe(
      "“n” (m) has not been used for a long time: it will be disabled in 7 days, on 5 Dec 2026, 14:00 UTC, unless a service uses it.",
    );
    expect(isNoticeKind("IDLE")).toBe(true);
  });

  it("a disabled webhook endpoint is rendered from its notice (it was an email with no subject or text), and says why", () => {
    expect(isNoticeKind("WEBHOOK_DISABLED")).toBe(true);
    const item = {
      keyId: null,
      keyName: "https://hooks.example.com/k",
      keyMasked: "",
      keyExpiresAt: null,
      reason: CREATOR_LOST_ACCESS,
      note: "Its creator (ada@example.com) is no longer a member of the team",
    };
    const email = renderEmail(
      { name: null, timeZone: "UTC" },
      { kind: "WEBHOOK_DISABLED", windowDays: null, items: [item] },
      "http://x",
      now,
    );
    expect(email.subject).toBe("[Keyward] A webhook endpoint was disabled");
    expect(email.text).toContain(
      "The webhook endpoint https://hooks.example.com/k was disabled: its creator (ada@example.com) is no longer a member of the team. If it is still needed, add it again under your own name under Webhooks.",
    );
    expect(email.text).toContain("Open webhooks: http://x/webhooks");
    const failing = renderEmail(
      { name: null, timeZone: "UTC" },
      { kind: "WEBHOOK_DISABLED", windowDays: null, items: [{ ...item, reason: null, note: "HTTP 500" }] },
      "http://x",
      now,
    );
    expect(failing.text).toContain("failed every delivery for three days and was disabled (last error: HTTP 500)");
  });
});
