// The front server's fast path: a route that Next's bundled code provided at start-up
// (lib/process/fast-routes.ts) answered straight from node:http, without Next's router. Only the
// plumbing lives here: handing over the body the front server read, writing the answer.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { PlainHandler, PlainResponse } from "@/lib/http/plain-exchange";
import { log } from "@/lib/log/logger";
import { FIXED_HEADERS, refuse } from "./respond";

/** Answers `req`, whose whole body (under the front server's cap) is `body`; `done` runs once the answer is written. */
export function serveFast(
  handler: PlainHandler,
  req: IncomingMessage,
  body: Buffer,
  res: ServerResponse,
  ip: string | null,
  done: () => void,
): void {
  const contentType = req.headers["content-type"] ?? null;
  // The body is all in: a cap below its size refuses it, as reading it afresh would.
  const authorization = req.headers.authorization ?? null;
  handler({
    via: "fast",
    ip,
    contentType,
    authorization,
    readBody: (maxBytes) => Promise.resolve(body.length > maxBytes ? null : body),
  })
    .then((answer) => {
      write(res, answer);
      done();
    })
    .catch((error: unknown) => {
      // The handler answers its own failures; this is only for a fault in it or in writing.
      log.error(
        { err: error, reqId: res.getHeader("x-request-id"), method: req.method, path: req.url?.split("?")[0] },
        "unexpected error on the fast path",
      );
      if (!res.headersSent && !res.destroyed)
        refuse(req, res, "INTERNAL", "Something went wrong on our side. It has been logged.");
      done();
    });
}

function write(res: ServerResponse, answer: PlainResponse): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(answer.status, {
    ...FIXED_HEADERS,
    ...answer.headers,
    "content-length": Buffer.byteLength(answer.body),
  });
  res.end(answer.body);
}
