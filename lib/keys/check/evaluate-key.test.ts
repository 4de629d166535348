import { describe, expect, it } from "vitest";
import { compileAllowlist } from "@/lib/net/cidr";
import { evaluateKey, type KeyRecord } from "./evaluate-key";

const now = new Date("2026-11-29T12:00:00.000Z");
const APP = "https://keys.example.com";
const base: KeyRecord = {
  id: "k1",
  kind: "KEY",
  issuedById: null,
  owner: { type: "user", id: "u1", name: "Ann" },
  name: "ci",
  scopes: ["read"],
  expiresAt: new Date(now.getTime() + 60_000),
  graceEndsAt: null,
  blacklist: null,
  limits: { rate: null, allowIp: null, usageCap: null, usageCount: 0 },
};

describe("evaluateKey", () => {
  it("is VALID before expiresAt and carries the seconds left", () => {
    const r = evaluateKey(base, now, undefined, APP);
    expect(r).toMatchObject({ valid: true, code: "VALID", keyId: "k1", ownerId: "u1", expiresInSeconds: 60 });
  });

  it("is EXPIRED at the instant expiresAt passes, with no sweep involved", () => {
    const key = { ...base, expiresAt: new Date(now.getTime() - 1) };
    expect(evaluateKey(key, now, undefined, APP)).toMatchObject({
      valid: false,
      code: "EXPIRED",
      expiredAt: "2026-11-29T11:59:59.999Z",
      renewUrl: "https://keys.example.com/keys/k1?renew=1",
    });
    expect(evaluateKey({ ...base, expiresAt: now }, now, undefined, APP).code).toBe("EXPIRED");
  });

  it("keeps answering EXPIRED after the sweep blacklisted it as EXPIRED", () => {
    const key = {
      ...base,
      expiresAt: new Date(now.getTime() - 5000),
      blacklist: { reason: "EXPIRED" as const, at: now },
    };
    expect(evaluateKey(key, now, undefined, APP).code).toBe("EXPIRED");
  });

  it("answers REVOKED with the reason for revoked, leaked and rotated keys, even if also expired", () => {
    for (const reason of ["REVOKED", "LEAKED", "ROTATED"] as const) {
      const key = { ...base, expiresAt: new Date(now.getTime() - 1000), blacklist: { reason, at: now } };
      expect(evaluateKey(key, now, undefined, APP)).toMatchObject({ valid: false, code: "REVOKED", reason });
    }
  });

  it("refuses a rotated key once its grace period has ended, before any sweep", () => {
    const inGrace = { ...base, graceEndsAt: new Date(now.getTime() + 1) };
    expect(evaluateKey(inGrace, now, undefined, APP)).toMatchObject({
      code: "VALID",
      graceEndsAt: inGrace.graceEndsAt.toISOString(),
    });
    const ended = { ...base, graceEndsAt: now };
    expect(evaluateKey(ended, now, undefined, APP)).toMatchObject({ code: "REVOKED", reason: "ROTATED" });
  });

  it("checks the scope only for otherwise valid keys", () => {
    expect(evaluateKey(base, now, "write", APP)).toMatchObject({ code: "INSUFFICIENT_SCOPE", requiredScope: "write" });
    expect(evaluateKey(base, now, "read", APP).code).toBe("VALID");
  });

  it("treats a key without expiry as valid with null expiry", () => {
    expect(evaluateKey({ ...base, expiresAt: null }, now, undefined, APP)).toMatchObject({
      code: "VALID",
      expiresAt: null,
      expiresInSeconds: null,
    });
  });

  describe("an allowlisted key", () => {
    const listed: KeyRecord = { ...base, limits: { ...base.limits, allowIp: compileAllowlist(["203.0.113.0/24"]) } };

    it("needs the client's address, and refuses one outside the list", () => {
      expect(evaluateKey(listed, now, undefined, APP)).toMatchObject({
        valid: false,
        code: "IP_REQUIRED",
        keyId: "k1",
      });
      expect(evaluateKey(listed, now, undefined, APP, null)).toMatchObject({ code: "IP_REQUIRED" });
      expect(evaluateKey(listed, now, undefined, APP, "198.51.100.7")).toMatchObject({
        valid: false,
        code: "IP_NOT_ALLOWED",
        ip: "198.51.100.7",
      });
      expect(evaluateKey(listed, now, undefined, APP, "203.0.113.9")).toMatchObject({ valid: true, code: "VALID" });
    });

    it("tells an outsider nothing about the key's scopes, but lifecycle answers still win", () => {
      const outsider = evaluateKey(listed, now, "admin", APP, "198.51.100.7");
      expect(outsider.code).toBe("IP_NOT_ALLOWED");
      expect(JSON.stringify(outsider)).not.toContain("read");
      expect(evaluateKey(listed, now, "admin", APP, "203.0.113.9").code).toBe("INSUFFICIENT_SCOPE");
      const expired = { ...listed, expiresAt: new Date(now.getTime() - 1) };
      expect(evaluateKey(expired, now, undefined, APP, "198.51.100.7").code).toBe("EXPIRED");
    });

    it("leaves keys without a list alone, with or without an address", () => {
      expect(evaluateKey(base, now, undefined, APP, "198.51.100.7").code).toBe("VALID");
      expect(evaluateKey(base, now, undefined, APP, null).code).toBe("VALID");
    });
  });
});
