"use server";
// The sign-in page's passkey button ends here: next-auth's "passkey" provider checks the assertion
// and sets the session cookie, then the browser goes where it was headed.
import { AuthError, CredentialsSignin } from "next-auth";
import { signIn } from "@/lib/auth";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { env } from "@/lib/env";

export async function passkeySignInAction(assertion: string, callbackUrl: string): Promise<{ error?: string }> {
  try {
    await signIn("passkey", {
      assertion: String(assertion),
      redirectTo: safeCallbackUrl(String(callbackUrl), env.APP_URL),
    });
    return {};
  } catch (error) {
    // A successful sign-in "throws" Next's redirect, which must propagate.
    if (error instanceof CredentialsSignin) return { error: refusal(error.code) };
    if (error instanceof AuthError) {
      return {
        error: isDatabaseUnavailable(error)
          ? "Keyward's database is unreachable right now. Try again in a moment."
          : "Sign-in failed. Try again.",
      };
    }
    throw error;
  }
}

function refusal(code: string | undefined): string {
  if (code?.startsWith("throttled:")) {
    const until = new Date(code.slice("throttled:".length));
    return `Too many failed sign-ins from your network. Try again at ${until.toISOString().slice(11, 16)} UTC.`;
  }
  return "That passkey was not accepted. It may have been removed from your account; sign in with your password instead.";
}
