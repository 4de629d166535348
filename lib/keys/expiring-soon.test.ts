import { describe, expect, it } from "vitest";
import { effectiveEnd, expiringWindowDays, isExpiringSoon, isWorking } from "./expiring-soon";
import { keyStatus } from "./key-status";

const NOW = new Date("2026-03-01T12:00:00.000Z");
const DAY = 86_400_000;
const inDays = (days: number) => new Date(NOW.getTime() + days * DAY);
const key = (
  expiresAt: Date | null,
  graceEndsAt: Date | null = null,
  blacklisted: "REVOKED" | "EXPIRED" | null = null,
) => ({
  expiresAt,
  graceEndsAt,
  blacklisted: blacklisted ? { reason: blacklisted } : null,
});

describe("expiring soon: a working key whose end is within the first reminder window", () => {
  it("the window is the first, largest, of EXPIRY_REMINDER_DAYS (7 by default)", () => {
    expect(expiringWindowDays()).toBe(7);
  });

  it("ends at the earlier of expiry and grace end; never, when neither is set", () => {
    expect(effectiveEnd(key(inDays(5), inDays(1)))).toEqual(inDays(1));
    expect(effectiveEnd(key(inDays(5), inDays(9)))).toEqual(inDays(5));
    expect(effectiveEnd(key(inDays(5)))).toEqual(inDays(5));
    expect(effectiveEnd(key(null, inDays(1)))).toEqual(inDays(1));
    expect(effectiveEnd(key(null))).toBeNull();
  });

  it("counts a key by its expiry, up to and including the window's last instant", () => {
    expect(isExpiringSoon(key(inDays(2)), NOW, 7)).toBe(true);
    expect(isExpiringSoon(key(inDays(7)), NOW, 7)).toBe(true);
    expect(isExpiringSoon(key(new Date(inDays(7).getTime() + 1)), NOW, 7)).toBe(false);
    expect(isExpiringSoon(key(inDays(30)), NOW, 7)).toBe(false);
    expect(isExpiringSoon(key(null), NOW, 7)).toBe(false);
  });

  it("counts a key in grace by its grace end, not by an expiry it will never reach", () => {
    expect(isExpiringSoon(key(inDays(30), inDays(1)), NOW, 7)).toBe(true);
    expect(isExpiringSoon(key(inDays(30), inDays(10)), NOW, 7)).toBe(false);
    // A grace longer than the key's life: the expiry comes first.
    expect(isExpiringSoon(key(inDays(3), inDays(10)), NOW, 7)).toBe(true);
  });

  it("never counts a key that no longer works: blacklisted, expired, or past its grace", () => {
    expect(isExpiringSoon(key(inDays(2), null, "REVOKED"), NOW, 7)).toBe(false);
    expect(isExpiringSoon(key(new Date(NOW.getTime() - 1)), NOW, 7)).toBe(false);
    expect(isExpiringSoon(key(NOW), NOW, 7)).toBe(false);
    expect(isExpiringSoon(key(inDays(30), new Date(NOW.getTime() - 1)), NOW, 7)).toBe(false);
    expect(isWorking(key(inDays(30), new Date(NOW.getTime() - 1)), NOW)).toBe(false);
    expect(isWorking(key(null), NOW)).toBe(true);
  });

  it("agrees with the status badge: every EXPIRING key is expiring soon, and a key in grace is GRACE either way", () => {
    const cases = [
      key(inDays(2)),
      key(inDays(30)),
      key(inDays(30), inDays(1)),
      key(inDays(30), inDays(10)),
      key(inDays(2), null, "REVOKED"),
      key(null),
    ];
    for (const k of cases) {
      const status = keyStatus(k, NOW, 7);
      if (status === "EXPIRING") expect(isExpiringSoon(k, NOW, 7)).toBe(true);
      if (status === "ACTIVE" || status === "BLACKLISTED" || status === "EXPIRED")
        expect(isExpiringSoon(k, NOW, 7)).toBe(false);
    }
    expect(keyStatus(key(inDays(30), inDays(1)), NOW, 7)).toBe("GRACE");
  });
});
