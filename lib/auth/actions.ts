"use server";
// Server actions of the public pages (sign-in, sign-up, the email link) and sign-out. Everything a
// signed-in user changes under Settings goes through JSON routes (/api/v1/me/...) instead.
import { AuthError, CredentialsSignin } from "next-auth";
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { clientIp } from "@/lib/api/client-ip";
import { signIn, signOut } from "@/lib/auth";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { env } from "@/lib/env";
import { confirmEmail } from "@/lib/users/email-verification";
import { signUp, ZSignUpRequest } from "@/lib/users/sign-up";
import { safeCallbackUrl } from "./callback-url";
import { HELD_LAPSED } from "./held-sign-in";
import { getCurrentUser } from "./current-user";
import { blockedUntil, recordFailure, signUpKey } from "./throttle";

export interface FormState {
  /** Sign-in: the password was right, and the account's second factor is asked for next. */
  step?: "otp";
  /** With step "otp": the kinds of second factor the account has (a code, a passkey). */
  factors?: ("totp" | "passkey")[];
  /** With step "otp": the GitHub or OIDC sign-in this step completes (lib/auth/held-sign-in.ts). */
  held?: string;
  error?: string;
  fieldErrors?: Record<string, string>;
  values?: Record<string, string>;
}

const UNREACHABLE = "Keyward's database is unreachable right now. Try again in a moment.";

/**
 * Email and password; for an account with a second factor, a second step sends them again with
 * the code (`otp`): the password is checked again with it, so no half-signed-in state exists
 * between the steps for anyone to steal or replay.
 */
export async function signInAction(_prev: FormState, form: FormData): Promise<FormState> {
  const email = String(form.get("email") ?? "");
  const otp = String(form.get("otp") ?? "");
  const passkey = String(form.get("passkey") ?? "");
  // The second step of a GitHub or OIDC sign-in: no address or password, the browser's held sign-in instead.
  const held = String(form.get("held") ?? "") || undefined;
  try {
    await signIn("credentials", {
      ...(held ? { held } : { email, password: String(form.get("password") ?? "") }),
      ...(otp ? { otp } : {}),
      ...(passkey ? { passkey } : {}),
      redirectTo: safeCallbackUrl(form.get("callbackUrl"), env.APP_URL),
    });
    return {};
  } catch (error) {
    // A successful sign-in "throws" Next's redirect, which must propagate.
    const second = error instanceof CredentialsSignin ? secondFactorAsked(error.code) : null;
    if (second?.reason === "otp-required") return { step: "otp", factors: second.factors, held, values: { email } };
    if (second?.reason === "otp-wrong") {
      const message = second.factors.includes("totp")
        ? `That code is not right, or was used already. Type the code your app shows now, or a recovery code${second.factors.includes("passkey") ? ", or use your passkey" : ""}.`
        : "That passkey is not one of this account's. Try again with yours.";
      return { step: "otp", factors: second.factors, held, error: message, values: { email } };
    }
    if (error instanceof CredentialsSignin && error.code === "held-lapsed") return { error: HELD_LAPSED };
    if (error instanceof CredentialsSignin) return { error: signInRefusal(error.code), values: { email } };
    if (error instanceof AuthError)
      return { error: isDatabaseUnavailable(error) ? UNREACHABLE : "Sign-in failed. Try again.", values: { email } };
    throw error;
  }
}

/** `otp-required:totp+passkey` (lib/auth's SecondFactorSignIn) read back. */
function secondFactorAsked(
  code: string | undefined,
): { reason: "otp-required" | "otp-wrong"; factors: ("totp" | "passkey")[] } | null {
  const [reason, kinds = ""] = (code ?? "").split(":");
  if (reason !== "otp-required" && reason !== "otp-wrong") return null;
  const factors = kinds.split("+").filter((k): k is "totp" | "passkey" => k === "totp" || k === "passkey");
  return { reason, factors: factors.length ? factors : ["totp"] };
}

function signInRefusal(code: string | undefined): string {
  if (code?.startsWith("throttled:")) {
    const until = new Date(code.slice("throttled:".length));
    const minutes = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));
    const at = until.toISOString().slice(11, 16);
    return `Too many failed sign-ins for this account or from your network. Try again at ${at} UTC (in ${minutes} minute${minutes === 1 ? "" : "s"}).`;
  }
  if (code === "busy") return "Keyward is busy checking other sign-ins. Try again in a moment.";
  return "Wrong email or password.";
}

export async function signUpAction(_prev: FormState, form: FormData): Promise<FormState> {
  const values = { email: String(form.get("email") ?? ""), name: String(form.get("name") ?? "") };
  if (!env.ALLOW_SIGNUP) return { error: "Sign-up is turned off here. Ask an admin for an account.", values };
  const parsed = ZSignUpRequest.safeParse({ ...values, password: String(form.get("password") ?? "") });
  if (!parsed.success) {
    const fieldErrors = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message]));
    return { error: "Check the highlighted fields.", fieldErrors, values };
  }
  const ip = clientIp(await headers());
  const key = signUpKey(ip);
  try {
    const until = await blockedUntil([key]);
    if (until)
      return {
        error: `Too many sign-ups from your network. Try again after ${until.toISOString().slice(11, 16)} UTC.`,
        values,
      };
    await recordFailure([key]); // every sign-up counts: each one may send an email
    await signUp(parsed.data, ip);
  } catch (error) {
    if (isDatabaseUnavailable(error)) return { error: UNREACHABLE, values };
    throw error;
  }
  // The same answer whether or not the address had an account: what happened is told by email.
  const next = safeCallbackUrl(form.get("callbackUrl"), env.APP_URL);
  redirect(`/sign-up/check-email?${new URLSearchParams({ email: parsed.data.email, callbackUrl: next })}`);
}

export async function confirmEmailAction(_prev: FormState, form: FormData): Promise<FormState> {
  const token = String(form.get("token") ?? "").slice(0, 200);
  const result = await confirmEmail(token, clientIp(await headers()));
  // Every page's banner and the Settings badge change: drop what the browser has cached.
  revalidatePath("/", "layout");
  if (result.status === "verified") redirect((await getCurrentUser()) ? "/keys?verified=1" : "/sign-in?verified=1");
  if (result.status === "claimed") redirect(`/sign-in?claimed=${result.revokedKeys}`);
  return {
    error:
      result.status === "expired"
        ? "This link has expired. Sign in and ask for a new one."
        : "This link has already been used, or is not a link we sent.",
  };
}

/** Signs out here, and ends every other session of this user too (auth events.signOut). */
export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/sign-in" });
}
