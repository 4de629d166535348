// The part of Keyward's HTTP server that sees every request before Next does. It answers what
// Next would get wrong (a 500 for `GET *` or a broken percent-escape, a body of any size), and
// it is the only place that knows the socket: it records the client's address in a header of
// its own, replacing any copy a client sent, so that rate limits and the audit log never take a
// client's word for where it is. It reads every request body whole, under one cap, before anyone
// answers (request-body.ts says why), and it answers the verify route itself (fast-path.ts).
// It gives every request its id (request-id.ts), logs one line per request, and serves
// /metrics when the operator asked for it there (metrics-endpoint.ts).
import type { IncomingMessage, ServerResponse } from "node:http";
import { HSTS } from "@/lib/http/security-headers";
import { log, withRequestContext } from "@/lib/log/logger";
import { CLIENT_IP_HEADER, clientAddress, type TrustProxy } from "@/lib/net/client-address";
import { fastRoute } from "@/lib/process/fast-routes";
import { serveFast } from "./fast-path";
import { METRICS_PATH, serveMetrics, type MetricsAccess } from "./metrics-endpoint";
import { BufferedRequest, hasBody, readRequestBody } from "./request-body";
import { REQUEST_ID_HEADER, requestIdOf } from "./request-id";
import { refuse } from "./respond";

/**
 * No request Keyward serves needs more; the routes cap their own bodies far lower. Also what one
 * request may hold in memory at the door, which reads each body whole before passing it on.
 */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

const NO_BODY = Buffer.alloc(0);

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
  /** Serve GET /metrics on this listener, with this access (undefined: /metrics is not here). */
  metrics?: MetricsAccess;
}

export function createFrontHandler(options: FrontOptions): RequestHandler {
  const maxBodyBytes = options.maxBodyBytes ?? MAX_REQUEST_BODY_BYTES;
  return (req, res) => {
    const started = performance.now();
    const reqId = requestIdOf(req, options.trust);
    res.setHeader(REQUEST_ID_HEADER, reqId);
    if (options.hsts) res.setHeader("strict-transport-security", HSTS);
    const target = req.url ?? "";
    // `GET *` and absolute-form targets: only a forward proxy takes those.
    if (!target.startsWith("/")) return refuse(req, res, "BAD_REQUEST", "The request target must be a path.");

    const query = target.indexOf("?");
    const path = query === -1 ? target : target.slice(0, query);
    if (!decodes(path)) {
      if (path.startsWith("/api/")) return refuse(req, res, "NOT_FOUND", "No such resource.");
      req.url = NOT_FOUND_PATH;
    }

    const forwardedFor = req.headers["x-forwarded-for"];
    const address = clientAddress(
      req.socket.remoteAddress,
      Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor,
      options.trust,
    );
    const pass = (body: Buffer | null) => {
      // The verify route, which every client of every service calls, skips Next's router: the
      // same code answers it (provided by Next's bundle at start-up), without the framework's cost.
      const fast = fastRoute(req.method, path);
      if (fast)
        return serveFast(fast, req, body ?? NO_BODY, res, address || null, () =>
          logRequest(req, res, path, address, reqId, started, true),
        );
      res.once("close", () => logRequest(req, res, path, address, reqId, started, false));
      if (path === METRICS_PATH && options.metrics && req.method === "GET")
        return serveMetrics(req, res, options.metrics);
      if (address) req.headers[CLIENT_IP_HEADER] = address;
      else delete req.headers[CLIENT_IP_HEADER];
      req.headers[REQUEST_ID_HEADER] = reqId;
      return withRequestContext({ reqId }, () =>
        options.next(body === null ? req : new BufferedRequest(req, body), res),
      );
    };
    if (!hasBody(req)) return pass(null);
    return readRequestBody(req, maxBodyBytes).then(
      (body) =>
        body === null
          ? refuse(req, res, "PAYLOAD_TOO_LARGE", `The body is larger than ${maxBodyBytes} bytes.`)
          : pass(body),
      // The client went away (or timed out) before the end of its body: nobody is left to answer.
      () => undefined,
    );
  };
}

/**
 * One line per request: its id, what was asked (the path without its query, which may carry a
 * reset token), the answer's status and time. The verify route's lines are debug: at its rate
 * they would be most of the log, and its counts are in the metrics; a 5xx is always logged. A
 * request whose client went away before its answer ended says so.
 */
function logRequest(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  ip: string | null,
  reqId: string,
  started: number,
  hot: boolean,
): void {
  const status = res.statusCode;
  const level = status >= 500 ? "error" : hot ? "debug" : "info";
  if (!log.isLevelEnabled(level)) return;
  const ms = Math.round((performance.now() - started) * 10) / 10;
  log[level](
    {
      reqId,
      method: req.method,
      path: loggablePath(path),
      status,
      ms,
      ip,
      ...(res.writableFinished ? {} : { aborted: true }),
    },
    "request",
  );
}

/** Paths whose segment after /invitations/ is an invitation's secret token: logged without it. */
const SECRET_SEGMENT = /^(\/(?:api\/v1\/)?invitations\/)[^/]+/;

function loggablePath(path: string): string {
  const short = path.length > 200 ? `${path.slice(0, 200)}…` : path;
  return short.replace(SECRET_SEGMENT, "$1[redacted]");
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
    return (
      !/[\u0000-\u001f\u007f]/.test(decoded) &&
      !decoded.split("/").some((segment) => segment === "." || segment === "..")
    );
  } catch {
    return false;
  }
}

/**
 * Node's server drops whatever its request listener returns, so a handler's rejected promise would
 * be unhandled and stop the process. This ends that one request with a 500 instead (or drops its
 * connection when the answer had begun) and keeps serving everyone else.
 */
export function settled(handler: RequestHandler): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    Promise.resolve(handler(req, res)).catch((error: unknown) => {
      log.error(
        { err: error, method: req.method, path: req.url?.split("?")[0] },
        "a request failed outside the routes' own error handling",
      );
      if (res.headersSent) res.destroy();
      else refuse(req, res, "INTERNAL", "Something went wrong on our side.");
    });
  };
}
