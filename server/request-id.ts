// Each request's id: the X-Request-Id a trusted proxy (TRUSTED_PROXIES) sent, so that one id
// follows a request through the proxy's log and ours; else one made here. A client's own header
// is never taken: it could reuse another request's id to muddle the log. Returned in the answer.
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { normalize, type TrustProxy } from "@/lib/net/client-address";

export const REQUEST_ID_HEADER = "x-request-id";

/** What an id taken from a proxy may look like: a UUID, a hex or base64 id; never spaces or control characters. */
const ACCEPTED = /^[\w.:+/=@-]{1,128}$/;

export function requestIdOf(req: IncomingMessage, trust: TrustProxy): string {
  const offered = req.headers[REQUEST_ID_HEADER];
  if (typeof offered === "string" && ACCEPTED.test(offered)) {
    const peer = req.socket.remoteAddress;
    if (peer && trust(normalize(peer) ?? peer, 0)) return offered;
  }
  return randomUUID();
}
