import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { ReauthDialog } from "@/components/auth/reauth-dialog";
import { RenewalBanner } from "@/components/keys/renewal-banner";
import { VerifyEmailBanner } from "@/components/settings/verify-email-banner";
import { getCurrentUser } from "@/lib/auth/current-user";
import { expiringSummary } from "@/lib/keys/read/expiring-summary";

// Every signed-in page: proxy.ts already redirects signed-out visitors; this re-checks against
// the database (a deleted user's cookie stops working) and shows the renewal banner. The re-auth
// dialog of sudo mode is mounted here, once, for every page's dangerous actions.
export default async function PortalLayout({ children }: { children: ReactNode }) {
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in");
  const summary = await expiringSummary(user.id);
  return (
    <>
      {user.emailVerified ? null : <VerifyEmailBanner email={user.email} />}
      <RenewalBanner summary={summary} />
      <div className="mx-auto w-full max-w-6xl px-4 py-8 sm:px-6">{children}</div>
      <ReauthDialog />
    </>
  );
}
