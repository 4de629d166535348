// The part of Keyward's HTTP server that sees every request before Next does. It answers what
// Next would get wrong (a 500 for `GET *` or a broken percent-escape, a body of any size), and
// it is the only place that knows the socket: it records the client's address in a header of
// its own, replacing any copy a client sent, so that rate limits and the audit log never take a
// client's word for where it is. It also answers the verify route itself (fast-path.ts).
import type { IncomingMessage, ServerResponse } from "node:http";
import { HSTS } from "@/lib/http/security-headers";
import { CLIENT_IP_HEADER, clientAddress, type TrustProxy } from "@/lib/net/client-address";
import { fastRoute } from "@/lib/server/fast-routes";
import { serveFast } from "./fast-path";
import { refuse } from "./respond";

/** No request Keyward serves needs more; the routes cap their own bodies far lower. */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

/** A path no page has: Next renders the app's own 404 page for it. */
const NOT_FOUND_PATH = "/_keyward/not-found";

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface FrontOptions {
  /** Next's request handler (or anything else that serves the app). */
  next: RequestHandler;
  trust: TrustProxy;
  maxBodyBytes?: number;
  /** Send Strict-Transport-Security (APP_URL is https: TLS ends in front of us). */
  hsts?: boolean;
}

export function createFrontHandler(options: FrontOptions): RequestHandler {
  const maxBodyBytes = options.maxBodyBytes ?? MAX_REQUEST_BODY_BYTES;
  return (req, res) => {
    if (options.hsts) res.setHeader("strict-transport-security", HSTS);
    const target = req.url ?? "";
    // `GET *` and absolute-form targets: only a forward proxy takes those.
    if (!target.startsWith("/")) return refuse(res, "BAD_REQUEST", "The request target must be a path.");

    const query = target.indexOf("?");
    const path = query === -1 ? target : target.slice(0, query);
    if (!decodes(path)) {
      if (path.startsWith("/api/")) return refuse(res, "NOT_FOUND", "No such resource.");
      req.url = NOT_FOUND_PATH;
    }

    const declared = req.headers["content-length"];
    if (declared !== undefined && Number(declared) > maxBodyBytes) {
      return refuse(res, "PAYLOAD_TOO_LARGE", `The body is larger than ${maxBodyBytes} bytes.`);
    }

    const forwardedFor = req.headers["x-forwarded-for"];
    const address = clientAddress(req.socket.remoteAddress, Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor, options.trust);
    // The verify route, which every client of every service calls, skips Next's router: the
    // same code answers it (provided by Next's bundle at start-up), without the framework's cost.
    const fast = fastRoute(req.method, path);
    if (fast) return serveFast(fast, req, res, address || null);

    if (address) req.headers[CLIENT_IP_HEADER] = address;
    else delete req.headers[CLIENT_IP_HEADER];
    return options.next(req, res);
  };
}

/**
 * Whether the path names something that could exist: every percent-escape decodes to UTF-8
 * (Next answers 500 otherwise), to no control character, and to no "." or ".." segment (no
 * route, page or id has either; Next would answer 400 or resolve them).
 */
function decodes(path: string): boolean {
  if (!path.includes("%")) return true;
  try {
    const decoded = decodeURIComponent(path);
    return !/[\u0000-\u001f\u007f]/.test(decoded) && !decoded.split("/").some((segment) => segment === "." || segment === "..");
  } catch {
    return false;
  }
}
