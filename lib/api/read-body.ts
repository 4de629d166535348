// Reading a request body with a hard cap, whether or not Content-Length says how big it is: a
// body is never buffered past the cap, and the caller answers 413.
import { KeywardError } from "@/lib/errors";

export const DEFAULT_MAX_BODY_BYTES = 16 * 1024;

export const tooLarge = (maxBytes: number) =>
  new KeywardError("PAYLOAD_TOO_LARGE", `The body is larger than ${maxBytes} bytes.`);

/** The whole body, or a PAYLOAD_TOO_LARGE error as soon as it passes `maxBytes`. */
export async function readBody(req: Request, maxBytes = DEFAULT_MAX_BODY_BYTES): Promise<Buffer> {
  const body = await readBodyWithin(req, maxBytes);
  if (body === null) throw tooLarge(maxBytes);
  return body;
}

/** The whole body, or null as soon as it passes `maxBytes` (declared or streamed). */
export async function readBodyWithin(req: Request, maxBytes: number): Promise<Buffer | null> {
  const length = req.headers.get("content-length");
  const declared = length === null ? null : Number(length);
  if (declared !== null && declared > maxBytes) return null;
  if (!req.body) return Buffer.alloc(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/**
 * A JSON body with a hard size cap. Requiring application/json also keeps cookie-authenticated
 * routes out of reach of cross-site HTML forms (which cannot send that type without CORS).
 */
export function readJson(req: Request, maxBytes = DEFAULT_MAX_BODY_BYTES): Promise<unknown> {
  return parseJsonBody(req.headers.get("content-type"), () => readBody(req, maxBytes));
}

/**
 * The JSON-body rule whatever carries the request (a Next route, or the front server's fast
 * routes): the type is checked before a byte is read, then the body is read and parsed.
 */
export async function parseJsonBody(contentType: string | null, read: () => Promise<Buffer>): Promise<unknown> {
  if (contentType === null) {
    // No body at all is a request whose every field is left out (e.g. POST …/revoke with no note).
    // A cross-site form always sends a type, so this opens nothing to one.
    if ((await read()).length === 0) return {};
    throw new KeywardError("UNSUPPORTED_MEDIA_TYPE", "Send the body as JSON (Content-Type: application/json).");
  }
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(contentType)) {
    throw new KeywardError("UNSUPPORTED_MEDIA_TYPE", "Send the body as JSON (Content-Type: application/json).");
  }
  const text = (await read()).toString("utf8");
  try {
    return JSON.parse(text);
  } catch {
    throw new KeywardError("BAD_REQUEST", "The body is not valid JSON.");
  }
}
