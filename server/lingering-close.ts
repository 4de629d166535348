// The last answer on a connection whose client is still sending its body (a 413, or a refusal
// before the body was read). Closing a connection with unread bytes on it makes the kernel send a
// reset, and a client still writing may meet that reset before it reads the answer: it sees
// ECONNRESET or EPIPE instead of the 413. So the close lingers, as web servers' lingering close
// does: the answer goes out whole, and the rest of the body is read and dropped, within bounds,
// before the connection closes.
import type { IncomingMessage, ServerResponse } from "node:http";
import { hasBody } from "./request-body";

/** How much of a refused body is read and dropped, past the refusal, at most. */
export const LINGER_BYTES = 1024 * 1024;
/** How long a refused connection lingers at most, whatever its client does. */
export const LINGER_MS = 1000;

/**
 * Ends `res` (an answer that closes the connection) with `body`. When the request's body is not
 * all in, the answer is written whole first (its length declared, so the client can read it as
 * soon as it arrives) and the connection stays open while the body is read and dropped: up to its
 * end (then the close is clean), or LINGER_BYTES of it. Past that allowance the server stops
 * reading, so a client still sending is held by flow control with the answer in hand until the
 * connection closes, LINGER_MS after the answer at the latest.
 */
export function endLingering(req: IncomingMessage, res: ServerResponse, body: string): void {
  if (!hasBody(req) || req.complete || req.destroyed) return void res.end(body);
  res.write(body);
  let dropped = 0;
  const onData = (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped <= LINGER_BYTES) return;
    req.off("data", onData);
    req.pause();
  };
  const close = () => {
    clearTimeout(timer);
    req.off("data", onData);
    req.off("end", close);
    res.off("close", close);
    if (!res.writableEnded) res.end();
  };
  const timer = setTimeout(close, LINGER_MS);
  req.on("data", onData);
  req.on("end", close);
  res.on("close", close);
  req.resume();
}
