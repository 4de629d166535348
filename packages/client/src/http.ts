// A small typed fetch over Keyward's HTTP API: paths, parameters, bodies and answers typed from the
// generated OpenAPI types, errors turned into KeywardApiError. No dependency beyond the platform's
// fetch (openapi-fetch would be one, for what these few lines do).
import { KeywardApiError, KeywardConnectionError, type Problem } from "./errors.js";
import type { paths } from "./generated/openapi.js";

export type HttpMethod = "get" | "post" | "patch" | "delete";

export interface ClientOptions {
  /** Where Keyward runs, e.g. "https://keyward.example.com". */
  baseUrl: string;
  /** An API token (`kwt_…`), sent as `Authorization: Bearer`. */
  token?: string;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** A request still unanswered after this long fails with KeywardConnectionError (default 10 s). */
  timeoutMs?: number;
  /** Another fetch (a proxy agent, instrumentation); the global one by default. */
  fetch?: typeof fetch;
}

/** The methods a path serves (openapi-typescript marks the others `?: never`). */
export type MethodOf<P extends keyof paths> = {
  [M in HttpMethod]: paths[P][M] extends undefined ? never : M;
}[HttpMethod];
export type OperationOf<P extends keyof paths, M extends HttpMethod> = Exclude<paths[P][M], undefined>;

export type PathParams<O> = O extends { parameters: { path: infer T } } ? T : never;
export type Query<O> = O extends { parameters: { query?: infer T } } ? T : never;
export type Body<O> = O extends { requestBody: { content: { "application/json": infer B } } } ? B : never;
type JsonContent<R> = R extends { content: { "application/json": infer J } } ? J : never;
/** What a 2xx answer carries. */
export type Success<O> = O extends { responses: infer R } ? JsonContent<R[Extract<keyof R, 200 | 201 | 202>]> : never;

export interface CallInit<O = unknown> {
  params?: PathParams<O>;
  query?: Query<O>;
  body?: Body<O>;
}

interface UntypedInit {
  params?: Record<string, string>;
  query?: Record<string, string | number | boolean | null | undefined>;
  body?: unknown;
}

const DEFAULT_TIMEOUT_MS = 10_000;

export class Http {
  readonly baseUrl: string;
  private readonly options: ClientOptions;

  constructor(options: ClientOptions) {
    // A trailing slash would double up with the paths' leading one.
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.options = options;
  }

  get hasToken(): boolean {
    return Boolean(this.options.token);
  }

  /** A call to a route the OpenAPI document describes, typed end to end. */
  request<P extends keyof paths, M extends MethodOf<P>>(
    method: M,
    path: P,
    init: CallInit<OperationOf<P, M>> = {},
  ): Promise<Success<OperationOf<P, M>>> {
    return this.send(method, path, init as UntypedInit) as Promise<Success<OperationOf<P, M>>>;
  }

  /** A call by path template (`/api/v1/keys/{id}`), answered as parsed JSON (undefined when empty). */
  async send(method: HttpMethod, template: string, init: UntypedInit = {}): Promise<unknown> {
    const url = this.url(template, init);
    const headers: Record<string, string> = { accept: "application/json", ...this.options.headers };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    if (init.body !== undefined) headers["content-type"] = "application/json";
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let response: Response;
    try {
      response = await (this.options.fetch ?? fetch)(url, {
        method: method.toUpperCase(),
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof Error && error.name === "TimeoutError";
      const why = timedOut
        ? `no answer within ${timeoutMs} ms`
        : error instanceof Error
          ? describeFetchError(error)
          : String(error);
      throw new KeywardConnectionError(`${method.toUpperCase()} ${url}: ${why}`, { cause: error });
    }
    return readAnswer(response, `${method.toUpperCase()} ${template}`);
  }

  private url(template: string, init: UntypedInit): string {
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = init.params?.[name];
      if (value === undefined) throw new TypeError(`${template}: missing path parameter "${name}"`);
      return encodeURIComponent(value);
    });
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(init.query ?? {})) {
      if (value !== undefined && value !== null) query.set(name, String(value));
    }
    const search = query.toString() ? `?${query}` : "";
    return `${this.baseUrl}${path}${search}`;
  }
}

/** Node's fetch says only "fetch failed"; the reason (ECONNREFUSED, a TLS error) is its cause. */
function describeFetchError(error: Error): string {
  const cause = error.cause as { code?: string; message?: string } | undefined;
  return cause?.code ?? cause?.message ?? error.message;
}

async function readAnswer(response: Response, what: string): Promise<unknown> {
  const type = response.headers.get("content-type") ?? "";
  const isJson = /^application\/(?:problem\+)?json\b/i.test(type);
  if (response.ok) {
    if (!isJson) {
      await response.body?.cancel();
      return undefined;
    }
    return response.json();
  }
  const retryAfter = Number(response.headers.get("retry-after"));
  const retryAfterSeconds =
    Number.isFinite(retryAfter) && retryAfter >= 0 && response.headers.has("retry-after") ? retryAfter : undefined;
  const body: unknown = isJson
    ? await response.json().catch(() => undefined)
    : (await response.body?.cancel(), undefined);
  throw new KeywardApiError(isProblem(body) ? body : foreignProblem(response, what), retryAfterSeconds);
}

function isProblem(body: unknown): body is Problem {
  const p = body as Partial<Problem> | undefined;
  return (
    typeof p === "object" &&
    p !== null &&
    typeof p.code === "string" &&
    typeof p.status === "number" &&
    typeof p.detail === "string"
  );
}

/**
 * An answer that is not Keyward's (a proxy's 502 page, a redirect to a sign-in page): the same
 * error type, so callers handle one shape, with a code that says where it came from.
 */
function foreignProblem(response: Response, what: string): Problem {
  const redirect = response.status >= 300 && response.status < 400;
  return {
    type: "about:blank",
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
    code: redirect ? "UNEXPECTED_REDIRECT" : `HTTP_${response.status}`,
    detail: redirect
      ? `${what} answered a redirect to ${response.headers.get("location") ?? "(nowhere)"}: is the URL Keyward's?`
      : `${what} answered ${response.status} without a problem+json body: is the URL Keyward's?`,
  };
}
