import type { Metadata } from "next";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { AuthForm } from "@/components/auth/auth-form";
import { ProviderButtons } from "@/components/auth/provider-buttons";
import { PasskeySignInButton } from "@/components/passkeys/passkey-sign-in-button";
import { signInAction, type FormState } from "@/lib/auth/actions";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { githubEnabled } from "@/lib/auth/github";
import { getCurrentUser } from "@/lib/auth/current-user";
import { HELD_LAPSED, HELD_SIGN_IN_COOKIE, readHeldSignIn } from "@/lib/auth/held-sign-in";
import { factorsOf } from "@/lib/second-factor";
import { env } from "@/lib/env";
import { oidcEnabled, oidcName } from "@/lib/sso/oidc-config";

export const metadata: Metadata = { title: "Sign in" };

function noticeFor(params: Record<string, string | string[] | undefined>): string | undefined {
  if (params.claimed !== undefined) {
    const revoked = Number(params.claimed) || 0;
    return `Your address is verified and your new password is set. Sign in with it.${
      revoked
        ? ` ${revoked} key${revoked === 1 ? " that was" : "s that were"} issued before the address was verified ${revoked === 1 ? "was" : "were"} revoked.`
        : ""
    }`;
  }
  if (params.deleted !== undefined) return "Your account was deleted and you are signed out.";
  if (params.reset !== undefined) return "Your new password is set. Sign in with it.";
  if (params.verified !== undefined) return "Your address is verified. Sign in to continue.";
  if (params.error === "OAuthCallbackError" || params.error === "AccessDenied")
    return "The sign-in at the provider was cancelled or refused. Try again.";
  if (params.error) return "Sign-in failed. Try again.";
  if (params.callbackUrl) return "Sign in to continue.";
  return undefined;
}

/**
 * A GitHub or OIDC sign-in held for the account's second factor (`?held=<provider>`, and this
 * browser's cookie): the form opens on its second step. A lapsed one says so.
 */
async function heldStep(held: unknown): Promise<{ initial?: FormState; notice?: string }> {
  if (typeof held !== "string") return {};
  const found = readHeldSignIn((await cookies()).get(HELD_SIGN_IN_COOKIE)?.value, held);
  if (!found) return { notice: HELD_LAPSED };
  return { initial: { step: "otp", held: found.provider, factors: await factorsOf(found.userId) } };
}

export default async function SignInPage({ searchParams }: PageProps<"/sign-in">) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(params.callbackUrl, env.APP_URL);
  if (await getCurrentUser()) redirect(callbackUrl);
  const held = await heldStep(params.held);
  return (
    <AuthCard title="Sign in to Keyward">
      <ProviderButtons
        callbackUrl={callbackUrl}
        providers={[
          ...(githubEnabled ? [{ id: "github", name: "GitHub" }] : []),
          ...(oidcEnabled ? [{ id: "oidc", name: oidcName() }] : []),
        ]}
      />
      <AuthForm
        mode="sign-in"
        action={signInAction}
        callbackUrl={callbackUrl}
        notice={held.notice ?? noticeFor(params)}
        initial={held.initial}
        heldBy={held.initial?.held === "github" ? "GitHub" : oidcName()}
      />
      <PasskeySignInButton callbackUrl={callbackUrl} />
    </AuthCard>
  );
}
