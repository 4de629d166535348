import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { AuthForm } from "@/components/auth/auth-form";
import { GitHubButton } from "@/components/auth/github-button";
import { safeCallback, signInAction } from "@/lib/auth/actions";
import { githubEnabled } from "@/lib/auth";
import { getCurrentUser } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: PageProps<"/sign-in">) {
  const params = await searchParams;
  const callbackUrl = await safeCallback(params.callbackUrl);
  if (await getCurrentUser()) redirect(callbackUrl);
  const notice = params.error ? "Sign-in failed. Try again." : params.callbackUrl ? "Sign in to continue." : undefined;
  return (
    <AuthCard title="Sign in to Keyward">
      {githubEnabled ? <GitHubButton callbackUrl={callbackUrl} /> : null}
      <AuthForm mode="sign-in" action={signInAction} callbackUrl={callbackUrl} notice={notice} />
    </AuthCard>
  );
}
