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
import { getCurrentUser } from "./current-user";
import { blockedUntil, recordFailure, signUpKey } from "./throttle";

export interface FormState {
  error?: string;
  fieldErrors?: Record<string, string>;
  values?: Record<string, string>;
}

const UNREACHABLE = "Keyward's database is unreachable right now. Try again in a moment.";

export async function signInAction(_prev: FormState, form: FormData): Promise<FormState> {
  const email = String(form.get("email") ?? "");
  try {
    await signIn("credentials", {
      email,
      password: String(form.get("password") ?? ""),
      redirectTo: safeCallbackUrl(form.get("callbackUrl"), env.APP_URL),
    });
    return {};
  } catch (error) {
    // A successful sign-in "throws" Next's redirect, which must propagate.
    if (error instanceof CredentialsSignin) return { error: signInRefusal(error.code), values: { email } };
    if (error instanceof AuthError) return { error: isDatabaseUnavailable(error) ? UNREACHABLE : "Sign-in failed. Try again.", values: { email } };
    throw error;
  }
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
    if (until) return { error: `Too many sign-ups from your network. Try again after ${until.toISOString().slice(11, 16)} UTC.`, values };
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
  return { error: result.status === "expired" ? "This link has expired. Sign in and ask for a new one." : "This link has already been used, or is not a link we sent." };
}

/** Signs out here, and ends every other session of this user too (auth events.signOut). */
export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/sign-in" });
}
