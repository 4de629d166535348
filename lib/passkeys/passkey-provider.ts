// The next-auth provider "passkey": a Credentials provider whose one field is the assertion
// (startAuthentication()'s JSON). lib/auth/index.ts lists it beside the password provider.
import { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { clientIp } from "@/lib/api/client-ip";
import { zText } from "@/lib/api/text";
import { MAX_ASSERTION_CHARS, signInWithPasskey } from "./sign-in-with-passkey";

/** Refusal codes travel back to the form, as the password provider's do. */
class PasskeyRefused extends CredentialsSignin {
  code = "passkey";
}
class PasskeyThrottled extends CredentialsSignin {
  constructor(until: Date) {
    super();
    this.code = `throttled:${until.toISOString()}`;
  }
}

const ZPasskeyCredentials = z.object({ assertion: zText().max(MAX_ASSERTION_CHARS) });

export const passkeyProvider = Credentials({
  id: "passkey",
  name: "Passkey",
  credentials: { assertion: { label: "Passkey" } },
  async authorize(raw, request) {
    const parsed = ZPasskeyCredentials.safeParse(raw);
    if (!parsed.success) throw new PasskeyRefused();
    const outcome = await signInWithPasskey(parsed.data.assertion, clientIp(request.headers));
    if (outcome.ok) return outcome.user;
    if (outcome.reason === "throttled") throw new PasskeyThrottled(outcome.until);
    throw new PasskeyRefused();
  },
});
