import "server-only";
import { verify } from "node:crypto";
import { z } from "zod";
import { zText } from "@/lib/api/text";
import { env } from "@/lib/env";
import { KeywardError, notFound } from "@/lib/errors";
import { markLeaked } from "@/lib/keys/change/mark-leaked";
import { publicKeySource, type PublicKeySource } from "./github-keys";

// GitHub's secret-scanning partner contract: GitHub finds a string shaped like our keys in a
// public place and POSTs it here, signed (ECDSA P-256 / SHA-256, base64 DER, over the raw body).
// The signature is checked before the body is even parsed; a genuine key is blacklisted LEAKED
// at once and its owner told; the answer is GitHub's feedback array.

export const ZGitHubMatches = z
  .array(
    z.object({
      token: zText().max(1000),
      type: zText().max(200),
      url: zText().max(2000).optional().nullable(),
      source: zText().max(200).optional().nullable(),
    }),
  )
  .max(10_000);

export interface GitHubFeedback {
  token_raw: string;
  token_type: string;
  label: "true_positive" | "false_positive";
}

const KEY = Symbol.for("keyward.github-public-keys");

function source(): PublicKeySource | null {
  const location = env.SECRET_SCANNING_PUBLIC_KEYS;
  if (!location) return null;
  const holder = globalThis as { [KEY]?: { location: string; source: PublicKeySource } };
  if (holder[KEY]?.location !== location) holder[KEY] = { location, source: publicKeySource(location) };
  return holder[KEY].source;
}

export const isGitHubScanningEnabled = () => Boolean(env.SECRET_SCANNING_PUBLIC_KEYS);

const unauthorized = () => new KeywardError("UNAUTHORIZED", "Missing or bad GitHub secret-scanning signature.");

/** Checks the signature over the raw body; throws 401 unless it is GitHub's. */
export async function verifyGitHubSignature(
  rawBody: Buffer,
  identifier: string | null,
  signature: string | null,
): Promise<void> {
  const keys = source();
  if (!keys) throw notFound("Secret scanning reports are not configured here.");
  if (!identifier || !signature || identifier.length > 200 || signature.length > 500) throw unauthorized();
  const pem = await keys.keyFor(identifier);
  if (!pem) throw unauthorized();
  let valid = false;
  try {
    valid = verify("sha256", rawBody, pem, Buffer.from(signature, "base64"));
  } catch {
    valid = false;
  }
  if (!valid) throw unauthorized();
}

/** The matches of a verified request: blacklisted if genuine, each with GitHub's feedback label. */
export async function handleGitHubMatches(body: unknown): Promise<GitHubFeedback[]> {
  const matches = ZGitHubMatches.parse(body);
  const verdicts = await markLeaked(
    matches.map((m) => ({ token: m.token, url: m.url ?? null })),
    { id: null, label: "GitHub secret scanning", ip: null },
    "GitHub secret scanning",
  );
  return matches.map((m, i) => ({
    token_raw: m.token,
    token_type: m.type,
    label: verdicts[i]!.genuine ? "true_positive" : "false_positive",
  }));
}
