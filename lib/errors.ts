// The one error type of Keyward's server code. Services throw it; lib/api/respond.ts maps it
// (and anything unexpected) to an RFC 9457 problem+json response.

export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
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
  /** For RATE_LIMITED: when to try again (the Retry-After header). */
  readonly retryAfterSeconds?: number;

  constructor(code: ErrorCode, message: string, errors?: FieldError[], options?: { retryAfterSeconds?: number }) {
    super(message);
    this.name = "KeywardError";
    this.code = code;
    this.errors = errors;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const rateLimited = (retryAfterSeconds: number, why = "Too many requests. Slow down and retry later.") =>
  new KeywardError("RATE_LIMITED", why, undefined, { retryAfterSeconds });
export const notFound = (what = "Not found") => new KeywardError("NOT_FOUND", what);
export const forbidden = (why = "You are not allowed to do this") => new KeywardError("FORBIDDEN", why);
