import type { Metadata } from "next";
import { AuthCard } from "@/components/auth/auth-card";
import { ReportLeakForm } from "@/components/leaks/report-leak-form";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Report a leaked key" };

// Public, like GitHub's token revocation: whoever finds a key where it should not be can end it.
export default function ReportLeakPage() {
  return (
    <AuthCard title="Report a leaked key">
      <div className="space-y-4 text-sm">
        <p className="text-zinc-600 dark:text-zinc-400">
          Found a key of this Keyward (it starts with <code className="font-mono">{env.KEY_PREFIX}_</code>) in a public
          repository, a paste or a log? Report it: a genuine key is disabled at once and its owner told. You will not
          learn whether it was genuine.
        </p>
        <ReportLeakForm />
      </div>
    </AuthCard>
  );
}
