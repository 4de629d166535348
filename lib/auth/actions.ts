"use server";
// Server actions for the sign-in and sign-up forms (public by nature) and sign-out.
import { AuthError } from "next-auth";
import { headers } from "next/headers";
import { clientIp } from "@/lib/api/client-ip";
import { signIn, signOut } from "@/lib/auth";
import { env } from "@/lib/env";
import { KeywardError } from "@/lib/errors";
import { createUser, ZSignUpRequest } from "@/lib/users/create-user";

export interface FormState {
  error?: string;
  fieldErrors?: Record<string, string>;
  values?: Record<string, string>;
}

/** Only same-site paths: a callbackUrl must never send people to another host. */
export async function safeCallback(raw: unknown): Promise<string> {
  return typeof raw === "string" && raw.startsWith("/") && !raw.startsWith("//") && !raw.startsWith("/\\") ? raw : "/keys";
}

export async function signInAction(_prev: FormState, form: FormData): Promise<FormState> {
  const email = String(form.get("email") ?? "");
  try {
    await signIn("credentials", {
      email,
      password: String(form.get("password") ?? ""),
      redirectTo: await safeCallback(form.get("callbackUrl")),
    });
    return {};
  } catch (error) {
    // A successful sign-in "throws" Next's redirect, which must propagate.
    if (error instanceof AuthError) return { error: "Wrong email or password.", values: { email } };
    throw error;
  }
}

export async function signUpAction(_prev: FormState, form: FormData): Promise<FormState> {
  const values = { email: String(form.get("email") ?? ""), name: String(form.get("name") ?? "") };
  if (!env.ALLOW_SIGNUP) return { error: "Sign-up is turned off here. Ask an admin for an account.", values };
  const parsed = ZSignUpRequest.safeParse({ ...values, password: String(form.get("password") ?? "") });
  if (!parsed.success) {
    const fieldErrors = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message]));
    return { error: "Check the highlighted fields.", fieldErrors, values };
  }
  try {
    await createUser(parsed.data, clientIp(await headers()));
  } catch (error) {
    if (error instanceof KeywardError) return { error: error.message, values };
    throw error;
  }
  await signIn("credentials", {
    email: parsed.data.email,
    password: parsed.data.password,
    redirectTo: await safeCallback(form.get("callbackUrl")),
  });
  return {};
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/sign-in" });
}
