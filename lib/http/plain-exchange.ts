// A request and its answer as plain data, for an endpoint that more than one HTTP stack serves:
// a Next route handler and Keyward's own node:http server (lib/process/fast-routes.ts).

/** A request as such an endpoint sees it: what the transport knows, the body read on demand. */
export interface PlainRequest {
  /** Which stack serves it: Keyward's server's fast path, or a Next route handler (for metrics). */
  via: "fast" | "next";
  /** The caller's address as the front server worked it out (null when unknown). */
  ip: string | null;
  contentType: string | null;
  /** The Authorization header, as sent (null: none). */
  authorization: string | null;
  /**
   * The whole body, or null as soon as it passes `maxBytes`, declared or streamed (nothing past
   * the cap is buffered). Null, not an error: errors are the endpoint's to make, from its own
   * copy of lib/errors (the server's copy is another class).
   */
  readBody(maxBytes: number): Promise<Buffer | null>;
}

export interface PlainResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type PlainHandler = (req: PlainRequest) => Promise<PlainResponse>;
