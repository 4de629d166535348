// What the Express, Fastify and Next.js adapters share: find the key a request presents, ask
// Keyward, and say what to answer. The answers are those of Keyward's own gate (proxy.ts), so a
// client of your service handles one shape: 401 without a key (with WWW-Authenticate), 403 with
// the verdict (code, message, renewUrl, …) for a refused key, 429 with Retry-After for a key past
// its rate limit. When Keyward gives no verdict (unreachable, 503) the request is refused with
// 503: never let a request through on doubt.
import type { KeywardClient } from "./client.js";
import { KeywardApiError } from "./errors.js";
import type { RefusedVerdict, ValidVerdict } from "./types.js";

export interface GateOptions {
  client: KeywardClient;
  /** The scope every request through this gate needs. */
  scope?: string;
  /**
   * Whether to send the client's address, for keys with an IP allowlist. Default: when the
   * client has a token (Keyward honours `ip` only from an authenticated verifier). Behind a
   * proxy, make sure the framework's idea of the client address is right (Express `trust proxy`,
   * Fastify `trustProxy`).
   */
  forwardIp?: boolean;
  /** The realm in WWW-Authenticate (default "keyward", as Keyward's gate says). */
  realm?: string;
  /** Told about every failure to get a verdict (default: console.error, without the key). */
  onError?: (error: unknown) => void;
}

export interface GateAnswer {
  status: 401 | 403 | 429 | 503;
  headers: Record<string, string>;
  /** JSON text. */
  body: string;
}

export type GateOutcome = { pass: true; verdict: ValidVerdict } | { pass: false; answer: GateAnswer };

/** Reads one request header whatever the framework's representation. */
export type HeaderReader = (name: string) => string | undefined;

const PROBLEM_TYPE = "application/problem+json";

/** `Authorization: Bearer <key>` first, then `X-API-Key: <key>` (as Keyward's gate reads them). */
export function presentedKey(header: HeaderReader): string | null {
  const authorization = header("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match) return match[1]!;
  }
  const apiKey = header("x-api-key")?.trim();
  return apiKey ? apiKey : null;
}

export async function checkRequest(
  header: HeaderReader,
  clientIp: string | undefined,
  options: GateOptions,
): Promise<GateOutcome> {
  const realm = options.realm ?? "keyward";
  const key = presentedKey(header);
  if (!key) return { pass: false, answer: missingKey(realm) };
  const forwardIp = options.forwardIp ?? options.client.authenticated;
  let verdict;
  try {
    verdict = await options.client.verify(key, { scope: options.scope, ip: forwardIp ? clientIp : undefined });
  } catch (error) {
    if (isRefusedKey(error)) return { pass: false, answer: refused(malformed(), realm) };
    (options.onError ?? logFailure)(error);
    return { pass: false, answer: unavailable(error) };
  }
  if (verdict.valid) return { pass: true, verdict };
  if (verdict.code === "RATE_LIMITED") return { pass: false, answer: rateLimited(verdict) };
  return { pass: false, answer: refused(verdict, realm) };
}

function missingKey(realm: string): GateAnswer {
  return {
    status: 401,
    headers: {
      "content-type": PROBLEM_TYPE,
      "cache-control": "no-store",
      "www-authenticate": `Bearer realm="${realm}", charset="UTF-8"`,
    },
    body: JSON.stringify({
      type: "https://keyward.dev/problems/unauthorized",
      title: "Sign-in required",
      status: 401,
      code: "UNAUTHORIZED",
      detail: "Send an API key: Authorization: Bearer <key> or X-API-Key.",
    }),
  };
}

/** Same body as the verify route's answer, so clients handle one shape (code, renewUrl, …). */
function refused(verdict: RefusedVerdict, realm: string): GateAnswer {
  return {
    status: 403,
    headers: {
      "content-type": "application/json",
      "cache-control": "no-store",
      "www-authenticate": `Bearer realm="${realm}", error="invalid_token"`,
    },
    body: JSON.stringify(verdict),
  };
}

function rateLimited(verdict: Extract<RefusedVerdict, { code: "RATE_LIMITED" }>): GateAnswer {
  return {
    status: 429,
    headers: {
      "content-type": "application/json",
      "cache-control": "no-store",
      "retry-after": String(verdict.retryAfterSeconds),
    },
    body: JSON.stringify(verdict),
  };
}

function unavailable(error: unknown): GateAnswer {
  const retryAfter = error instanceof KeywardApiError ? error.retryAfterSeconds : undefined;
  return {
    status: 503,
    headers: {
      "content-type": PROBLEM_TYPE,
      "cache-control": "no-store",
      ...(retryAfter === undefined ? {} : { "retry-after": String(retryAfter) }),
    },
    body: JSON.stringify({
      type: "https://keyward.dev/problems/service-unavailable",
      title: "Service unavailable",
      status: 503,
      code: "SERVICE_UNAVAILABLE",
      detail: "The API key could not be checked. Try again shortly.",
    }),
  };
}

/**
 * Keyward refuses to look at some keys at all (longer than it accepts, a NUL inside): 422 with
 * the `key` field named. That is the client's bad key, not Keyward's trouble: 403 MALFORMED.
 */
function isRefusedKey(error: unknown): boolean {
  return error instanceof KeywardApiError && error.status === 422 && (error.errors ?? []).some((e) => e.path === "key");
}

function malformed(): RefusedVerdict {
  return { valid: false, code: "MALFORMED", message: "This is not a well-formed API key." };
}

function logFailure(error: unknown): void {
  console.error(`[keyward] could not verify an API key: ${error instanceof Error ? error.message : String(error)}`);
}

/** Where the adapters keep a passed request's verdict (read it with `verdictOf`). */
const verdicts = new WeakMap<object, ValidVerdict>();

export function rememberVerdict(request: object, verdict: ValidVerdict): void {
  verdicts.set(request, verdict);
}

/** The VALID verdict the gate accepted this request with (Express, Fastify), or undefined. */
export function verdictOf(request: object): ValidVerdict | undefined {
  return verdicts.get(request);
}
