"use client";
import { browserSupportsWebAuthn } from "@simplewebauthn/browser";
import { useSyncExternalStore } from "react";

const never = () => () => undefined;

/**
 * Whether this browser can use passkeys. The server renders as if it can (most browsers do), and
 * the browser's own answer replaces that at hydration, without an effect that sets state.
 */
export function useWebAuthnSupported(): boolean {
  return useSyncExternalStore(never, browserSupportsWebAuthn, () => true);
}
