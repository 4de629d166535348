// The one error shape (RFC 9457 problem+json), as plain data. Pure, so Keyward's HTTP server
// (server/), which answers some requests before Next sees them, writes the same bodies as the
// routes (lib/api/respond.ts).
import { ERROR_STATUS, type ErrorCode, type FieldError } from "@/lib/errors";

const TITLES: Record<ErrorCode, string> = {
  BAD_REQUEST: "Bad request",
  UNAUTHORIZED: "Sign-in required",
  FORBIDDEN: "Forbidden",
  NOT_FOUND: "Not found",
  CONFLICT: "Conflict",
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
}

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export function problemBody(code: ErrorCode, detail: string, errors?: FieldError[]): Problem {
  return {
    type: `https://keyward.dev/problems/${code.toLowerCase().replaceAll("_", "-")}`,
    title: TITLES[code],
    status: ERROR_STATUS[code],
    code,
    detail,
    ...(errors ? { errors } : {}),
  };
}
