import "server-only";
import { env } from "@/lib/env";
import { factorsOf } from "./index";

// REQUIRE_2FA: who must have a second factor before anything else answers them. Unset, it is
// `admins` in production (an admin's password alone can blacklist any key, export the audit log
// and mint tokens) and `off` elsewhere, so a developer's first `npm run dev` is not a chore.

export type SecondFactorPolicy = "admins" | "everyone" | "off";

export function secondFactorPolicy(): SecondFactorPolicy {
  return env.REQUIRE_2FA ?? (env.NODE_ENV === "production" ? "admins" : "off");
}

interface Person {
  id: string;
  role: "USER" | "ADMIN";
  kind?: "PERSON" | "BOT";
}

/** Whether the policy asks this account for a second factor (a team's service account: never). */
export function secondFactorRequiredFor(user: Person, policy = secondFactorPolicy()): boolean {
  if (user.kind === "BOT" || policy === "off") return false;
  return policy === "everyone" || user.role === "ADMIN";
}

/** The policy that sends this account to enrol first, or null when it may go on. */
export async function enrolmentDue(user: Person): Promise<Exclude<SecondFactorPolicy, "off"> | null> {
  const policy = secondFactorPolicy();
  if (policy === "off" || !secondFactorRequiredFor(user, policy)) return null;
  return (await factorsOf(user.id)).length ? null : policy;
}

/** The page where an account enrols; `required` says why it was sent there. */
export function enrolPath(required?: string): string {
  return required ? `/settings/security?required=${required}` : "/settings/security";
}
