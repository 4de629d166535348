// Express middleware: `app.use("/api", keywardExpress({ client, scope: "read" }))`. A passed
// request's verdict is in `res.locals.keyward` and `verdictOf(req)`. Typed against Node's own
// request and response (which Express's extend), so this module needs Express neither at run
// time nor in its type declarations.
import type { IncomingMessage, ServerResponse } from "node:http";
import { checkRequest, rememberVerdict, type GateOptions, type HeaderReader } from "./gate.js";

type ExpressLikeRequest = IncomingMessage & { ip?: string };
type ExpressLikeResponse = ServerResponse & { locals?: Record<string, unknown> };

export function keywardExpress(options: GateOptions) {
  return async function keywardGate(
    req: ExpressLikeRequest,
    res: ExpressLikeResponse,
    next: (error?: unknown) => void,
  ): Promise<void> {
    try {
      const outcome = await checkRequest(nodeHeaders(req), req.ip ?? req.socket.remoteAddress, options);
      if (outcome.pass) {
        rememberVerdict(req, outcome.verdict);
        if (res.locals) res.locals.keyward = outcome.verdict;
        next();
        return;
      }
      res.writeHead(outcome.answer.status, outcome.answer.headers).end(outcome.answer.body);
    } catch (error) {
      next(error);
    }
  };
}

export function nodeHeaders(req: IncomingMessage): HeaderReader {
  return (name) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
}

export { verdictOf } from "./gate.js";
