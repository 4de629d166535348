import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";

// A short-lived value a browser carries for the server and cannot forge: dot-separated fields, an
// expiry, and an HMAC under AUTH_SECRET that names its purpose (a value made for one purpose is
// worthless for another). Link intents and held sign-ins are made of it.

function sign(purpose: string, payload: string): string {
  const secret = process.env.AUTH_SECRET;
  if (!secret) throw new Error("AUTH_SECRET is not set.");
  return createHmac("sha256", secret).update(`${purpose}:${payload}`).digest("base64url");
}

/** `fields` (none may hold a dot) then the expiry, signed. */
export function signCookieValue(purpose: string, fields: (string | number)[], expiresAt: number): string {
  const payload = [...fields, expiresAt].join(".");
  return `${payload}.${sign(purpose, payload)}`;
}

/** The fields, if the value is genuine, has `count` of them, and is unexpired; else null. */
export function readCookieValue(
  purpose: string,
  value: string | undefined,
  count: number,
  now = Date.now(),
): string[] | null {
  if (!value || value.length > 500) return null;
  const parts = value.split(".");
  if (parts.length !== count + 2) return null;
  const expected = Buffer.from(sign(purpose, parts.slice(0, -1).join(".")));
  const given = Buffer.from(parts[count + 1]!);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  if (!(Number(parts[count]) > now)) return null;
  return parts.slice(0, count);
}

/** Cookie options for such a value: first-party, script-proof, gone when it expires. */
export function signedCookieOptions(appUrl: string, ttlMs: number) {
  return {
    httpOnly: true,
    sameSite: "lax" as const,
    secure: appUrl.startsWith("https:"),
    path: "/",
    maxAge: ttlMs / 1000,
  };
}
