import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { AuthForm } from "@/components/auth/auth-form";
import { Alert } from "@/components/ui/alert";
import { signUpAction } from "@/lib/auth/actions";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { getCurrentUser } from "@/lib/auth/current-user";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Create an account" };

export default async function SignUpPage({ searchParams }: PageProps<"/sign-up">) {
  const callbackUrl = safeCallbackUrl((await searchParams).callbackUrl, env.APP_URL);
  if (await getCurrentUser()) redirect(callbackUrl);
  return (
    <AuthCard title="Create your account">
      {env.ALLOW_SIGNUP ? (
        <AuthForm mode="sign-up" action={signUpAction} callbackUrl={callbackUrl} />
      ) : (
        <Alert tone="warning">Sign-up is turned off here. Ask an admin for an account.</Alert>
      )}
    </AuthCard>
  );
}
