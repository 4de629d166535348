// Request bodies at the door. The front server reads a body whole, up to its cap, before anything
// answers the request: an answer given while the client is still sending (a 405 from Next, a
// route's 413) would otherwise leave the rest unread on the connection, and closing a connection
// with unread bytes on it makes the kernel send a reset that can reach the client before the
// answer does. Next then gets the request with its body in memory (BufferedRequest).
import { IncomingMessage } from "node:http";

/** Whether the request carries a body at all (RFC 9112 6.3: a length or a transfer coding says so). */
export function hasBody(req: IncomingMessage): boolean {
  const declared = req.headers["content-length"];
  return req.headers["transfer-encoding"] !== undefined || (declared !== undefined && declared !== "0");
}

/**
 * The whole body, or null as soon as it passes the cap (declared or streamed). What is past the
 * cap is never buffered, and the request is left paused: whoever refuses it decides what becomes
 * of the rest (lingering-close.ts). Rejects when the client goes away before the end.
 */
export function readRequestBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > maxBytes) return Promise.resolve(null);
  // Read once, while the body is still coming: after its end no event would ever settle this.
  if (req.readableEnded || req.destroyed || req.listenerCount("data") > 0)
    return Promise.reject(new Error("the body was already read"));
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

/**
 * A request whose body the front server has read whole, as Next gets it: the same socket, method,
 * target and headers, and the body streamed from memory. Destroying it (a route that stops reading
 * past its own cap) does not cut the connection, as destroying a half-read request does: the body
 * is all in, and the route's answer still has to go out on that connection.
 */
export class BufferedRequest extends IncomingMessage {
  #body: Buffer | null;

  constructor(original: IncomingMessage, body: Buffer) {
    super(original.socket);
    this.httpVersionMajor = original.httpVersionMajor;
    this.httpVersionMinor = original.httpVersionMinor;
    this.httpVersion = original.httpVersion;
    this.method = original.method;
    this.url = original.url;
    this.rawHeaders = original.rawHeaders;
    this.headers = original.headers;
    this.rawTrailers = original.rawTrailers;
    this.trailers = original.trailers;
    this.complete = true;
    this.#body = body;
  }

  override _read(): void {
    const body = this.#body;
    this.#body = null;
    if (body && body.length > 0) this.push(body);
    this.push(null);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    callback(error);
  }
}
