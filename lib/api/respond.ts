import "server-only";
import { z } from "zod";
import { KeywardError } from "@/lib/errors";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import type { PlainResponse } from "@/lib/http/plain-exchange";
import { PROBLEM_CONTENT_TYPE, problemBody } from "./problem";
import { log } from "@/lib/log/logger";

export type { Problem } from "./problem";

export function problem(error: KeywardError, headers?: Record<string, string>): Response {
  return toResponse(plainProblem(error, headers));
}

/** The problem+json answer for an error, as plain data (for the front server's fast routes). */
export function plainProblem(error: KeywardError, headers?: Record<string, string>): PlainResponse {
  const body = problemBody(error.code, error.message, error.errors, error.extra);
  return {
    status: body.status,
    headers: {
      "content-type": PROBLEM_CONTENT_TYPE,
      "cache-control": "no-store",
      ...(error.retryAfterSeconds !== undefined ? { "retry-after": String(error.retryAfterSeconds) } : {}),
      ...headers,
    },
    body: JSON.stringify(body),
  };
}

/** A JSON answer as plain data: what json() sends, for the front server's fast routes. */
export function plainJson(data: unknown, status = 200): PlainResponse {
  return {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store" },
    body: JSON.stringify(data),
  };
}

export function toResponse(plain: PlainResponse): Response {
  return new Response(plain.body, { status: plain.status, headers: plain.headers });
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
    log.error({ context, error: describe(error) }, "database unavailable");
    return new KeywardError("SERVICE_UNAVAILABLE", "The key database is unreachable. Try again shortly.");
  }
  log.error({ err: error, context }, "unexpected error");
  return new KeywardError("INTERNAL", "Something went wrong on our side. It has been logged.");
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export function json(data: unknown, init?: ResponseInit): Response {
  return Response.json(data, { ...init, headers: { "cache-control": "no-store", ...init?.headers } });
}
