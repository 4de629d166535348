import "server-only";
import { z } from "zod";
import { ERROR_STATUS, KeywardError, type ErrorCode } from "@/lib/errors";
import { isDatabaseUnavailable } from "@/lib/db/errors";

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

/** The one error shape (RFC 9457 problem+json) used by every route. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  errors?: { path: string; message: string }[];
}

export function problem(error: KeywardError, headers?: HeadersInit): Response {
  const body: Problem = {
    type: `https://keyward.dev/problems/${error.code.toLowerCase().replaceAll("_", "-")}`,
    title: TITLES[error.code],
    status: ERROR_STATUS[error.code],
    code: error.code,
    detail: error.message,
    ...(error.errors ? { errors: error.errors } : {}),
  };
  return Response.json(body, {
    status: body.status,
    headers: { "content-type": "application/problem+json", "cache-control": "no-store", ...headers },
  });
}

/** Turns anything thrown into a KeywardError; unexpected detail goes to the log only. */
export function toKeywardError(error: unknown, context: string): KeywardError {
  if (error instanceof KeywardError) return error;
  if (error instanceof z.ZodError) {
    return new KeywardError(
      "UNPROCESSABLE",
      "The request does not match the expected shape.",
      error.issues.map((i) => ({ path: i.path.join(".") || "(body)", message: i.message })),
    );
  }
  if (isDatabaseUnavailable(error)) {
    console.error(`[keyward] ${context}: database unavailable: ${describe(error)}`);
    return new KeywardError("SERVICE_UNAVAILABLE", "The key database is unreachable. Try again shortly.");
  }
  console.error(`[keyward] ${context}: unexpected error`, error);
  return new KeywardError("INTERNAL", "Something went wrong on our side. It has been logged.");
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export function json(data: unknown, init?: ResponseInit): Response {
  return Response.json(data, { ...init, headers: { "cache-control": "no-store", ...init?.headers } });
}
