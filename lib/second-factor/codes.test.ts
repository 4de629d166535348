// The pure parts of the second factor: TOTP steps (RFC 6238's own test vector), recovery codes as
// people type them, sealed secrets bound to their owner, and server-made proofs.
import { beforeAll, describe, expect, it } from "vitest";
import { checkProof, mintProof } from "./proof";
import { hashRecoveryCode, newRecoveryCodes, normalizeRecoveryCode } from "./recovery-codes";
import { seal, unseal } from "./sealed";
import { currentCode, matchingStep, newTotpSecret, otpauthUrl } from "./totp";

beforeAll(() => {
  process.env.AUTH_SECRET ??= "a-unit-test-secret-that-is-long-enough-000";
});

describe("TOTP", () => {
  // RFC 6238 appendix B: the ASCII secret "12345678901234567890", SHA-1, at 59 s → 94287082 (8
  // digits); its last six digits are the 6-digit code.
  const rfcSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
  it("matches RFC 6238's test vector and tells the step it belongs to", () => {
    expect(currentCode(rfcSecret, 59_000)).toBe("287082");
    expect(matchingStep(rfcSecret, "287082", 59_000)).toBe(1);
    // One step of drift either way, no more.
    expect(matchingStep(rfcSecret, currentCode(rfcSecret, 89_000), 59_000)).toBe(2);
    expect(matchingStep(rfcSecret, currentCode(rfcSecret, 29_000), 59_000)).toBe(0);
    expect(matchingStep(rfcSecret, currentCode(rfcSecret, 150_000), 59_000)).toBeNull();
    expect(matchingStep(rfcSecret, "28708", 59_000)).toBeNull();
    expect(matchingStep(rfcSecret, "abcdef", 59_000)).toBeNull();
  });

  it("makes 160-bit secrets and an otpauth URI apps read", () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(otpauthUrl(secret, "ann@example.test"));
    expect(uri.host).toBe("totp");
    expect(uri.searchParams.get("secret")).toBe(secret);
    expect(uri.searchParams.get("issuer")).toBe("Keyward");
  });
});

describe("recovery codes", () => {
  it("are 10 distinct codes, read back in any case, with or without dash and spaces, Crockford's look-alikes too", () => {
    const codes = newRecoveryCodes();
    expect(new Set(codes).size).toBe(10);
    const code = codes[0]!;
    expect(normalizeRecoveryCode(code.toUpperCase())).toBe(code.replace("-", ""));
    expect(normalizeRecoveryCode(` ${code.slice(0, 5)} ${code.slice(6)} `)).toBe(code.replace("-", ""));
    expect(normalizeRecoveryCode("0o1il-23456")).toBe("0011123456");
    expect(normalizeRecoveryCode("short")).toBeNull();
    expect(normalizeRecoveryCode("uuuuu-uuuuu")).toBeNull();
    expect(hashRecoveryCode(code)).toBe(hashRecoveryCode(code.toUpperCase().replace("-", "")));
    expect(hashRecoveryCode(code)).not.toContain(code.replace("-", ""));
  });
});

describe("sealed secrets and proofs", () => {
  it("a sealed secret opens for its owner only, and not once tampered with", () => {
    const box = seal("SECRET", "user-a");
    expect(unseal(box, "user-a")).toBe("SECRET");
    expect(unseal(box, "user-b")).toBeNull();
    const raw = Buffer.from(box.slice(3), "base64");
    raw[raw.length - 1]! ^= 1;
    expect(unseal(`v1:${raw.toString("base64")}`, "user-a")).toBeNull();
  });

  it("a proof holds for its purpose and user for a minute", () => {
    const now = Date.now();
    const proof = mintProof("reauth", "user-a", now);
    expect(checkProof("reauth", proof, "user-a", now + 1000)).toBe(now);
    expect(checkProof("second-factor", proof, "user-a", now)).toBeNull();
    expect(checkProof("reauth", proof, "user-b", now)).toBeNull();
    expect(checkProof("reauth", proof, "user-a", now + 61_000)).toBeNull();
    expect(
      checkProof(
        "reauth",
        proof.replace(/.$/, (c) => (c === "A" ? "B" : "A")),
        "user-a",
        now,
      ),
    ).toBeNull();
    expect(checkProof("reauth", `reauth.user-a.${now}.forged`, "user-a", now)).toBeNull();
    expect(checkProof("reauth", 42, "user-a", now)).toBeNull();
  });
});
