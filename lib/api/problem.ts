// The one error shape (RFC 9457 problem+json), as plain data. Pure, so Keyward's HTTP server
// (server/), which answers some requests before Next sees them, writes the same bodies as the
// routes (lib/api/respond.ts).
import { ERROR_STATUS, type ErrorCode, type FieldError } from "@/lib/errors";

const TITLES: Record<ErrorCode, string> = {
  BAD_REQUEST: "Bad request",
  UNAUTHORIZED: "Sign-in required",
  EXPIRED: "Credential expired",
  REVOKED: "Credential revoked",
  FORBIDDEN: "Forbidden",
  INSUFFICIENT_SCOPE: "Insufficient scope",
  SECOND_FACTOR_REQUIRED: "Second factor required",
  REAUTH_REQUIRED: "Re-authentication required",
  NOT_FOUND: "Not found",
  CONFLICT: "Conflict",
  GONE: "Gone",
  PAYLOAD_TOO_LARGE: "Payload too large",
  UNSUPPORTED_MEDIA_TYPE: "Unsupported media type",
  UNPROCESSABLE: "Invalid input",
  RATE_LIMITED: "Too many requests",
  INTERNAL: "Internal error",
  SERVICE_UNAVAILABLE: "Service unavailable",
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  errors?: FieldError[];
  /** INSUFFICIENT_SCOPE: the scope the route needs. */
  requiredScope?: string;
  /** EXPIRED: when the credential expired, and where to renew it. */
  expiredAt?: string;
  renewUrl?: string;
  /** SECOND_FACTOR_REQUIRED: where to set one up. */
  enrolUrl?: string;
  /** REAUTH_REQUIRED: where to send the password or a code. */
  reauthUrl?: string;
}

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export function problemBody(
  code: ErrorCode,
  detail: string,
  errors?: FieldError[],
  extra?: Record<string, string>,
): Problem {
  return {
    ...extra,
    type: `https://keyward.dev/problems/${code.toLowerCase().replaceAll("_", "-")}`,
    title: TITLES[code],
    status: ERROR_STATUS[code],
    code,
    detail,
    ...(errors ? { errors } : {}),
  };
}
