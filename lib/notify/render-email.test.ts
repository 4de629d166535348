import { describe, expect, it } from "vitest";
import { whenInOwnersTerms } from "./notice-text";
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
          { keyId: "k1", keyName: "billing", keyMasked: "kw_Ab3x…9f2Q", keyExpiresAt: new Date("2026-12-05T14:00:00.000Z") },
          { keyId: "k2", keyName: "export <prod>", keyMasked: "kw_Zz11…0000", keyExpiresAt: new Date("2026-12-04T09:30:00.000Z") },
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

  it("uses the owner's time zone", () => {
    expect(whenInOwnersTerms(new Date("2026-12-05T14:00:00.000Z"), now, "Europe/Berlin")).toBe("in 7 days, on 5 Dec 2026, 15:00 CET");
    expect(whenInOwnersTerms(new Date("2026-11-29T14:00:00.000Z"), now, "Not/AZone")).toBe("tomorrow, on 29 Nov 2026, 14:00 UTC");
  });

  it("lists the first keys and counts the rest", () => {
    const item = { keyId: "k", keyName: "n", keyMasked: "m", keyExpiresAt: new Date("2026-12-01T00:00:00Z") };
    const email = renderEmail({ name: null, timeZone: "UTC" }, { kind: "REMINDER", windowDays: 7, items: [item], more: 949 }, "http://x", now);
    expect(email.subject).toBe("[Keyward] 950 keys expire within 7 days");
    expect(email.text).toContain("…and 949 more keys: http://x/keys?tab=expiring");
  });

  it("has a subject for every kind", () => {
    for (const kind of ["EXPIRED", "BLACKLISTED", "GRACE_ENDED"] as const) {
      const email = renderEmail({ name: null, timeZone: "UTC" }, { kind, windowDays: null, items: [{ keyId: "k", keyName: "n", keyMasked: "m", keyExpiresAt: now, reason: "LEAKED" }] }, "http://x", now);
      expect(email.subject).toMatch(/^\[Keyward\] /);
      expect(email.text).toContain("“n” (m)");
    }
  });
});
