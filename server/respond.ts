// Answers the front server writes itself, in the one problem+json shape the routes use.
import type { IncomingMessage, ServerResponse } from "node:http";
import { PROBLEM_CONTENT_TYPE, problemBody } from "@/lib/api/problem";
import type { ErrorCode } from "@/lib/errors";
import { FIXED_SECURITY_HEADERS } from "@/lib/http/fixed-headers.mjs";
import { endLingering } from "./lingering-close";

/** What next.config.mjs adds to every response Next serves; the front server's own answers carry it too. */
export const FIXED_HEADERS: Record<string, string> = Object.fromEntries(
  FIXED_SECURITY_HEADERS.map(({ key, value }) => [key.toLowerCase(), value]),
);

/**
 * A problem+json refusal that closes the connection: an unread body may follow on it, and is
 * read and dropped, within bounds, before the close (lingering-close.ts).
 */
export function refuse(req: IncomingMessage, res: ServerResponse, code: ErrorCode, detail: string): void {
  const problem = problemBody(code, detail);
  const body = JSON.stringify(problem);
  res.writeHead(problem.status, {
    ...FIXED_HEADERS,
    "content-type": PROBLEM_CONTENT_TYPE,
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
    connection: "close",
  });
  endLingering(req, res, body);
}
