// HTTP helpers for integration tests: real requests against the running `next start`.
import { testEnv } from "./env";
import { rememberSecret } from "./issued-secrets";

export interface Session {
  cookie: string;
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
}

/** Signs in through next-auth's credentials endpoint, as a browser form would. */
export async function signIn(email: string, password: string, baseUrl = testEnv.baseUrl): Promise<Session> {
  rememberSecret(password);
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const csrfCookie = cookiesOf(csrf);
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${baseUrl}/keys` }),
  });
  const cookie = [csrfCookie, cookiesOf(response)].filter(Boolean).join("; ");
  if (!/session-token=/.test(cookie)) throw new Error(`sign-in failed for ${email} (status ${response.status})`);
  const sessionToken = /session-token=([^;]+)/.exec(cookie)![1]!;
  rememberSecret(sessionToken);
  return {
    cookie,
    request: (method, path, body, headers = {}) =>
      fetch(`${baseUrl}${path}`, {
        method,
        redirect: "manual",
        headers: { cookie, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      }),
  };
}

function cookiesOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

export async function verify(key: string, scope?: string, baseUrl = testEnv.baseUrl) {
  const response = await fetch(`${baseUrl}/api/v1/keys/verify`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(scope === undefined ? { key } : { key, scope }),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown> & { code: string; valid: boolean },
  };
}

export async function sweep(secret = testEnv.cronSecret, method: "GET" | "POST" = "POST") {
  const response = await fetch(`${testEnv.baseUrl}/api/cron/sweep`, {
    method,
    headers: secret === "" ? {} : { authorization: `Bearer ${secret}` },
  });
  return { status: response.status, body: (await response.json()) as Record<string, number | string> };
}

/** The one error shape every route uses (RFC 9457 problem+json). */
export function expectProblemShape(body: unknown, status: number): void {
  const problem = body as Record<string, unknown>;
  const ok =
    typeof problem === "object" &&
    problem !== null &&
    problem.status === status &&
    typeof problem.type === "string" &&
    typeof problem.title === "string" &&
    typeof problem.code === "string" &&
    typeof problem.detail === "string" &&
    !JSON.stringify(problem).includes("    at ");
  if (!ok) throw new Error(`not a ${status} problem: ${JSON.stringify(body)}`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
