import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/auth/auth-card";
import { Alert } from "@/components/ui/alert";
import type { GitHubRefusal } from "@/lib/users/github-accounts";

export const metadata: Metadata = { title: "GitHub sign-in" };

const PROBLEMS: Record<GitHubRefusal, { title: string; text: string; next: { href: string; label: string } }> = {
  "signup-closed": {
    title: "Sign-up is closed",
    text: "No Keyward account is connected to this GitHub identity, and this Keyward does not take new sign-ups. Ask an admin for an account; you can then connect GitHub under Settings.",
    next: { href: "/sign-in", label: "Back to sign-in" },
  },
  "address-taken": {
    title: "An account already uses this address",
    text: "A Keyward account exists for an email address of this GitHub identity, and accounts are never joined by address alone. Sign in with your password, then connect GitHub under Settings.",
    next: { href: "/sign-in", label: "Sign in with a password" },
  },
  "unverified-github": {
    title: "GitHub has not verified your address",
    text: "Keyward needs an email address that GitHub reports as verified. Verify one at GitHub, then try again.",
    next: { href: "/sign-in", label: "Back to sign-in" },
  },
  "unverified-account": {
    title: "Verify your address first",
    text: "GitHub can be connected only to an account whose email address is verified. Open the link we emailed you (Settings can send a new one), then connect GitHub.",
    next: { href: "/settings", label: "Back to Settings" },
  },
  "address-mismatch": {
    title: "This GitHub identity has another address",
    text: "GitHub does not report your Keyward email address as one of this identity's verified addresses. Add and verify it at GitHub, or sign in to GitHub as the right identity, then try again.",
    next: { href: "/settings", label: "Back to Settings" },
  },
  "linked-elsewhere": {
    title: "This GitHub identity belongs to another account",
    text: "It is already connected to a different Keyward account. Disconnect it there first.",
    next: { href: "/settings", label: "Back to Settings" },
  },
  "session-ended": {
    title: "Your session ended",
    text: "You were signed out while connecting GitHub. Sign in and try again.",
    next: { href: "/sign-in?callbackUrl=/settings", label: "Sign in" },
  },
};

export default async function GitHubProblemPage({ searchParams }: PageProps<"/auth/github">) {
  const raw = (await searchParams).problem;
  const problem = typeof raw === "string" && raw in PROBLEMS ? PROBLEMS[raw as GitHubRefusal] : null;
  return (
    <AuthCard title={problem?.title ?? "GitHub sign-in"}>
      <div className="space-y-4 text-sm" data-testid="github-problem">
        <Alert tone="warning">{problem?.text ?? "The GitHub sign-in did not complete."}</Alert>
        <Link className="font-medium text-indigo-600 hover:underline dark:text-indigo-400" href={problem?.next.href ?? "/sign-in"}>
          {problem?.next.label ?? "Back to sign-in"}
        </Link>
      </div>
    </AuthCard>
  );
}
