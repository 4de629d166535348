import Link from "next/link";
import { AuthCard } from "@/components/auth/auth-card";
import { Alert } from "@/components/ui/alert";
import { EXTERNAL_REFUSALS, type ExternalRefusal } from "@/lib/users/external-accounts";

interface Problem {
  title: string;
  text: string;
  next: { href: string; label: string };
}

const BACK = { href: "/sign-in", label: "Back to sign-in" };
const SETTINGS = { href: "/settings", label: "Back to Settings" };

/** Why an external sign-in (GitHub, single sign-on) was refused, in the provider's name. */
function problems(name: string): Record<ExternalRefusal, Problem> {
  return {
    "signup-closed": {
      title: "Sign-up is closed",
      text: `No Keyward account is connected to this ${name} identity, and this Keyward does not take new sign-ups. Ask an admin for an account; you can then connect ${name} under Settings.`,
      next: BACK,
    },
    "address-taken": {
      title: "An account already uses this address",
      text: `A Keyward account exists for an email address of this ${name} identity, and accounts are never joined by address alone. Sign in with your password, then connect ${name} under Settings.`,
      next: { href: "/sign-in", label: "Sign in with a password" },
    },
    "unverified-identity": {
      title: `${name} has not verified your address`,
      text: `Keyward needs an email address that ${name} reports as verified. Verify one there, then try again.`,
      next: BACK,
    },
    "domain-not-allowed": {
      title: "This address may not sign in here",
      text: `Only addresses in the domains this Keyward allows may sign in with ${name}. Sign in to ${name} with your work account, or ask an admin.`,
      next: BACK,
    },
    "unverified-account": {
      title: "Verify your address first",
      text: `${name} can be connected only to an account whose email address is verified. Open the link we emailed you (Settings can send a new one), then connect ${name}.`,
      next: SETTINGS,
    },
    "address-mismatch": {
      title: `This ${name} identity has another address`,
      text: `${name} does not report your Keyward email address as one of this identity's verified addresses. Use the identity with your address, then try again.`,
      next: SETTINGS,
    },
    "linked-elsewhere": {
      title: `This ${name} identity belongs to another account`,
      text: "It is already connected to a different Keyward account. Disconnect it there first.",
      next: SETTINGS,
    },
    "session-ended": {
      title: "Your session ended",
      text: `You were signed out while connecting ${name}. Sign in and try again.`,
      next: { href: "/sign-in?callbackUrl=/settings", label: "Sign in" },
    },
  };
}

export function SignInProblem({ name, problem }: { name: string; problem: unknown }) {
  const known =
    typeof problem === "string" && (EXTERNAL_REFUSALS as readonly string[]).includes(problem)
      ? problems(name)[problem as ExternalRefusal]
      : null;
  return (
    <AuthCard title={known?.title ?? `${name} sign-in`}>
      <div className="space-y-4 text-sm" data-testid="sign-in-problem">
        <Alert tone="warning">{known?.text ?? `The ${name} sign-in did not complete.`}</Alert>
        <Link
          className="font-medium text-indigo-600 hover:underline dark:text-indigo-400"
          href={known?.next.href ?? "/sign-in"}
        >
          {known?.next.label ?? "Back to sign-in"}
        </Link>
      </div>
    </AuthCard>
  );
}
