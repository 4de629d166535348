// The one error type of Keyward's server code. Services throw it; lib/api/respond.ts maps it
// (and anything unexpected) to an RFC 9457 problem+json response.

export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  /** An API token past its expiry (the problem says when, and where to renew it). */
  EXPIRED: 401,
  /** An API token that was revoked, rotated past its grace period, or reported as leaked. */
  REVOKED: 401,
  FORBIDDEN: 403,
  /** An API token without the scope the route needs (the problem names it). */
  INSUFFICIENT_SCOPE: 403,
  /** REQUIRE_2FA asks this account for a second factor it has not set up (the problem says where). */
  SECOND_FACTOR_REQUIRED: 403,
  /** A dangerous action, and the session's last sign-in is too old: prove it is you (reauthUrl). */
  REAUTH_REQUIRED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  /** A single-use link that was used, or has expired (a password reset). */
  GONE: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldError {
  path: string;
  message: string;
}

export class KeywardError extends Error {
  readonly code: ErrorCode;
  readonly errors?: FieldError[];
  /** For RATE_LIMITED and SERVICE_UNAVAILABLE: when to try again (the Retry-After header). */
  readonly retryAfterSeconds?: number;
  /** Fields the problem carries besides the standard ones (e.g. requiredScope, expiredAt, renewUrl). */
  readonly extra?: Record<string, string>;

  constructor(
    code: ErrorCode,
    message: string,
    errors?: FieldError[],
    options?: { retryAfterSeconds?: number; extra?: Record<string, string> },
  ) {
    super(message);
    this.name = "KeywardError";
    this.code = code;
    this.errors = errors;
    this.retryAfterSeconds = options?.retryAfterSeconds;
    this.extra = options?.extra;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const rateLimited = (retryAfterSeconds: number, why = "Too many requests. Slow down and retry later.") =>
  new KeywardError("RATE_LIMITED", why, undefined, { retryAfterSeconds });
export const serviceUnavailable = (why: string, retryAfterSeconds?: number) =>
  new KeywardError("SERVICE_UNAVAILABLE", why, undefined, { retryAfterSeconds });
export const notFound = (what = "Not found") => new KeywardError("NOT_FOUND", what);
export const forbidden = (why = "You are not allowed to do this") => new KeywardError("FORBIDDEN", why);
