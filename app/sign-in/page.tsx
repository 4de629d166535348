import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { AuthForm } from "@/components/auth/auth-form";
import { GitHubButton } from "@/components/auth/github-button";
import { signInAction } from "@/lib/auth/actions";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { githubEnabled } from "@/lib/auth/github";
import { getCurrentUser } from "@/lib/auth/current-user";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Sign in" };

function noticeFor(params: Record<string, string | string[] | undefined>): string | undefined {
  if (params.claimed !== undefined) {
    const revoked = Number(params.claimed) || 0;
    return `Your address is verified and your new password is set. Sign in with it.${
      revoked ? ` ${revoked} key${revoked === 1 ? " that was" : "s that were"} issued before the address was verified ${revoked === 1 ? "was" : "were"} revoked.` : ""
    }`;
  }
  if (params.deleted !== undefined) return "Your account was deleted and you are signed out.";
  if (params.verified !== undefined) return "Your address is verified. Sign in to continue.";
  if (params.error) return "Sign-in failed. Try again.";
  if (params.callbackUrl) return "Sign in to continue.";
  return undefined;
}

export default async function SignInPage({ searchParams }: PageProps<"/sign-in">) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(params.callbackUrl, env.APP_URL);
  if (await getCurrentUser()) redirect(callbackUrl);
  return (
    <AuthCard title="Sign in to Keyward">
      {githubEnabled ? <GitHubButton callbackUrl={callbackUrl} /> : null}
      <AuthForm mode="sign-in" action={signInAction} callbackUrl={callbackUrl} notice={noticeFor(params)} />
    </AuthCard>
  );
}
