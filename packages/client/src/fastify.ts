// Fastify hook: `app.addHook("onRequest", keywardFastify({ client, scope: "read" }))`, or a
// route's `onRequest`. A passed request's verdict is `verdictOf(request)`. Typed structurally
// (what the hook uses of Fastify's request and reply), so this module needs Fastify neither at
// run time nor in its type declarations.
import type { IncomingHttpHeaders } from "node:http";
import { checkRequest, rememberVerdict, type GateOptions } from "./gate.js";

interface FastifyLikeRequest {
  headers: IncomingHttpHeaders;
  ip: string;
}

interface FastifyLikeReply {
  code(statusCode: number): unknown;
  headers(values: Record<string, string>): unknown;
  send(payload?: unknown): unknown;
}

export function keywardFastify(options: GateOptions) {
  return async function keywardGate<R extends FastifyLikeReply>(
    request: FastifyLikeRequest,
    reply: R,
  ): Promise<R | undefined> {
    const header = (name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const outcome = await checkRequest(header, request.ip, options);
    if (outcome.pass) {
      rememberVerdict(request, outcome.verdict);
      return undefined;
    }
    reply.code(outcome.answer.status);
    reply.headers(outcome.answer.headers);
    reply.send(outcome.answer.body);
    // An async hook that answered returns the reply, so Fastify stops there.
    return reply;
  };
}

export { verdictOf } from "./gate.js";
