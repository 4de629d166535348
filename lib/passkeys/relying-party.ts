import "server-only";
import { env } from "@/lib/env";

/**
 * Who passkeys are made for: the RP id is APP_URL's host name and the expected origin its
 * origin, so a passkey made on one deployment's address answers there and nowhere else. (Browsers
 * accept WebAuthn only on https, or on http://localhost.)
 */
export function relyingParty(): { id: string; origin: string; name: string } {
  const url = new URL(env.APP_URL);
  return { id: url.hostname, origin: url.origin, name: "Keyward" };
}

/**
 * The WebAuthn user handle of an account: its id's bytes. The authenticator keeps it with a
 * discoverable credential and hands it back with every assertion, base64url-encoded.
 */
export const userHandleOf = (userId: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(userId);
export const encodedUserHandleOf = (userId: string): string => Buffer.from(userId, "utf8").toString("base64url");
