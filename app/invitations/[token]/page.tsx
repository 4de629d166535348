import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/auth/auth-card";
import { AcceptInvitation } from "@/components/teams/accept-invitation";
import { Alert } from "@/components/ui/alert";
import { getCurrentUser } from "@/lib/auth/current-user";
import { invitationState, ZInvitationParams } from "@/lib/teams/invitations";

export const metadata: Metadata = { title: "Team invitation" };

const link = "font-medium text-indigo-600 hover:underline dark:text-indigo-400";

// Opening the link changes nothing (mail scanners open links too); the button accepts. Every
// outcome is a page that says what happened, never an error.
export default async function InvitationPage({ params }: PageProps<"/invitations/[token]">) {
  const { token } = await params;
  const valid = ZInvitationParams.safeParse({ token }).success;
  const [state, user] = await Promise.all([
    valid ? invitationState(token) : Promise.resolve({ status: "invalid" as const }),
    getCurrentUser(),
  ]);
  const here = `/invitations/${token}`;

  if (state.status !== "pending") {
    const text = {
      accepted: "This invitation has already been accepted.",
      revoked: "This invitation was revoked. Ask the team for a new one if you still need access.",
      expired: "This invitation has expired (they work for 7 days). Ask the team for a new one.",
      invalid: "This is not an invitation we sent, or the link was copied incompletely.",
    }[state.status];
    return (
      <AuthCard title="Team invitation">
        <div className="space-y-4 text-sm">
          <Alert tone="warning">{text}</Alert>
          {user ? (
            <Link className={link} href="/teams">
              Go to your teams
            </Link>
          ) : (
            <Link className={link} href="/sign-in">
              Go to sign-in
            </Link>
          )}
        </div>
      </AuthCard>
    );
  }

  const intro = (
    <p>
      You are invited to join <strong>{state.team.name}</strong> as {state.role === "ADMIN" ? "an" : "a"}{" "}
      {state.role.toLowerCase()}. The invitation is for <strong className="break-all">{state.email}</strong>.
    </p>
  );
  return (
    <AuthCard title="Team invitation">
      <div className="space-y-4 text-sm">
        {intro}
        {!user ? (
          <>
            <p>Sign in with that address to accept, or create an account with it.</p>
            <div className="flex gap-4">
              <Link className={link} href={`/sign-in?callbackUrl=${encodeURIComponent(here)}`}>
                Sign in
              </Link>
              <Link className={link} href={`/sign-up?callbackUrl=${encodeURIComponent(here)}`}>
                Create an account
              </Link>
            </div>
          </>
        ) : user.email !== state.email ? (
          <Alert tone="warning">
            You are signed in as <strong className="break-all">{user.email}</strong>. Sign out and sign in as{" "}
            {state.email} to accept.
          </Alert>
        ) : !user.emailVerified ? (
          <Alert tone="warning">
            Verify your address first: open the link we emailed you, or send a new one from{" "}
            <Link className={link} href="/settings">
              Settings
            </Link>
            . Then come back to this page.
          </Alert>
        ) : (
          <AcceptInvitation token={token} teamName={state.team.name} />
        )}
      </div>
    </AuthCard>
  );
}
