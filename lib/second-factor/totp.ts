import { Secret, TOTP } from "otpauth";

// RFC 6238 as every authenticator app reads it (Google Authenticator's key URI): SHA-1, six
// digits, 30-second steps. A code of the step before or after now is accepted too (clocks
// drift, people type slowly); which step matched is returned, so the caller can refuse a code of
// a step already used (replay).

export const TOTP_PERIOD_SECONDS = 30;
const ISSUER = "Keyward";

function totpOf(secretBase32: string, label = "") {
  return new TOTP({
    issuer: ISSUER,
    label,
    algorithm: "SHA1",
    digits: 6,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** A new shared secret: 20 random bytes (RFC 4226's recommended length), base32. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI an authenticator app scans (as a QR code) or is given by hand. */
export function otpauthUrl(secretBase32: string, accountLabel: string): string {
  return totpOf(secretBase32, accountLabel).toString();
}

/** The time step a code belongs to, or null when it is not a code of this secret now. */
export function matchingStep(secretBase32: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const totp = totpOf(secretBase32);
  const delta = totp.validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? null : totp.counter({ timestamp: now }) + delta;
}

/** The current code of a secret (for tests, and for nothing else). */
export function currentCode(secretBase32: string, now = Date.now()): string {
  return totpOf(secretBase32).generate({ timestamp: now });
}

/** A typed code as the form may send it: spaces and dashes between digits dropped. */
export const looksLikeTotp = (input: string) => /^\d{6}$/.test(input.replace(/[\s-]/g, ""));
