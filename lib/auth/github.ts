import "server-only";

// GitHub as a way to sign in: configured by AUTH_GITHUB_ID/SECRET, and for GitHub Enterprise
// Server by AUTH_GITHUB_ENTERPRISE_URL (the tests point it at a local stand-in, since nothing
// here reaches github.com). An identity is linked to an account only from a signed-in
// "Connect GitHub" (lib/auth/link-intent.ts), never by matching addresses.

export const githubEnabled = Boolean(process.env.AUTH_GITHUB_ID && process.env.AUTH_GITHUB_SECRET);

/** GitHub's web and API addresses: github.com, or an Enterprise Server. */
export function githubUrls(): { web: string; api: string } {
  const enterprise = process.env.AUTH_GITHUB_ENTERPRISE_URL?.trim().replace(/\/+$/, "");
  return enterprise
    ? { web: enterprise, api: `${enterprise}/api/v3` }
    : { web: "https://github.com", api: "https://api.github.com" };
}

/** What GitHub reports (lib/users/external-accounts.ts ExternalEmails). */
export interface GitHubEmails {
  /** The primary address, if GitHub has verified it. */
  primary: string | null;
  /** Every address GitHub reports as verified, lower-cased. */
  verified: string[];
}

/** The addresses GitHub has verified for the signed-in identity (needs the user:email scope). */
export async function fetchVerifiedEmails(accessToken: string): Promise<GitHubEmails> {
  const response = await fetch(`${githubUrls().api}/user/emails`, {
    headers: { authorization: `Bearer ${accessToken}`, accept: "application/vnd.github+json", "user-agent": "keyward" },
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`GitHub answered ${response.status} for the account's email addresses.`);
  const list = (await response.json()) as { email?: unknown; verified?: unknown; primary?: unknown }[];
  const verified = list
    .filter((e) => e.verified === true && typeof e.email === "string")
    .map((e) => (e.email as string).toLowerCase());
  const primary = list.find((e) => e.primary === true && e.verified === true && typeof e.email === "string");
  return { primary: primary ? (primary.email as string).toLowerCase() : null, verified };
}
