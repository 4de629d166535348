// The front server's fast path: a route that Next's bundled code provided at start-up
// (lib/server/fast-routes.ts) answered straight from node:http, without Next's router. Only the
// plumbing lives here: reading the body under its cap, writing the answer.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { PlainHandler, PlainResponse } from "@/lib/http/plain-exchange";
import { FIXED_HEADERS, refuse } from "./respond";

export function serveFast(handler: PlainHandler, req: IncomingMessage, res: ServerResponse, ip: string | null): void {
  const contentType = req.headers["content-type"] ?? null;
  handler({ ip, contentType, readBody: (maxBytes) => readBody(req, maxBytes) })
    .then((answer) => write(res, answer))
    .catch((error: unknown) => {
      // The handler answers its own failures; this is only for a fault in it or in writing.
      console.error(`[keyward] ${req.method} ${req.url}: unexpected error`, error);
      if (!res.headersSent && !res.destroyed) refuse(res, "INTERNAL", "Something went wrong on our side. It has been logged.");
    });
}

function write(res: ServerResponse, answer: PlainResponse): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(answer.status, { ...FIXED_HEADERS, ...answer.headers, "content-length": Buffer.byteLength(answer.body) });
  res.end(answer.body);
}

/**
 * The whole body, or null as soon as it passes the cap (declared or streamed). What is past the
 * cap is never buffered; the handler's 413 then closes the connection, so the unread rest is never
 * taken for a next request.
 */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > maxBytes) return Promise.resolve(null);
  // Read once, while the body is still coming: after its end no event would ever settle this.
  if (req.readableEnded || req.destroyed || req.listenerCount("data") > 0) return Promise.reject(new Error("the body was already read"));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      done();
      req.pause();
      resolve(null);
    };
    const onEnd = () => {
      done();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    const onClose = () => {
      done();
      reject(new Error("the client closed the connection before sending the whole body"));
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
  });
}
