import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";

// GitHub as a way to sign in: configured by AUTH_GITHUB_ID/SECRET, and for GitHub Enterprise
// Server by AUTH_GITHUB_ENTERPRISE_URL (the tests point it at a local stand-in, since nothing
// here reaches github.com). An identity is linked to an account only from a signed-in
// "Connect GitHub" (link intent, below), never by matching addresses.

export const githubEnabled = Boolean(process.env.AUTH_GITHUB_ID && process.env.AUTH_GITHUB_SECRET);

/** GitHub's web and API addresses: github.com, or an Enterprise Server. */
export function githubUrls(): { web: string; api: string } {
  const enterprise = process.env.AUTH_GITHUB_ENTERPRISE_URL?.trim().replace(/\/+$/, "");
  return enterprise ? { web: enterprise, api: `${enterprise}/api/v3` } : { web: "https://github.com", api: "https://api.github.com" };
}

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
  const verified = list.filter((e) => e.verified === true && typeof e.email === "string").map((e) => (e.email as string).toLowerCase());
  const primary = list.find((e) => e.primary === true && e.verified === true && typeof e.email === "string");
  return { primary: primary ? (primary.email as string).toLowerCase() : null, verified };
}

/** The cookie that says "this browser's signed-in user asked to connect GitHub". */
export const LINK_INTENT_COOKIE = "keyward.github-link";
export const LINK_INTENT_TTL_MS = 10 * 60_000;

function sign(payload: string): string {
  const secret = process.env.AUTH_SECRET;
  if (!secret) throw new Error("AUTH_SECRET is not set.");
  return createHmac("sha256", secret).update(`github-link:${payload}`).digest("base64url");
}

/** A link intent for this user and session version, valid for ten minutes. */
export function createLinkIntent(userId: string, sessionVersion: number, now = Date.now()): string {
  const payload = `${userId}.${sessionVersion}.${now + LINK_INTENT_TTL_MS}`;
  return `${payload}.${sign(payload)}`;
}

export function readLinkIntent(value: string | undefined, now = Date.now()): { userId: string; sessionVersion: number } | null {
  if (!value) return null;
  const parts = value.split(".");
  if (parts.length !== 4) return null;
  const [userId, version, expires, signature] = parts as [string, string, string, string];
  const expected = Buffer.from(sign(`${userId}.${version}.${expires}`));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  if (!(Number(expires) > now)) return null;
  return { userId, sessionVersion: Number(version) };
}
