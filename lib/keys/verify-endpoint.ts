import "server-only";
import { DEFAULT_MAX_BODY_BYTES, parseJsonBody, tooLarge } from "@/lib/api/read-body";
import { plainJson, plainProblem, toKeywardError } from "@/lib/api/respond";
import { rateLimited } from "@/lib/errors";
import type { PlainRequest, PlainResponse } from "@/lib/http/plain-exchange";
import { admitKeyCheck } from "./key-check-limits";
import { verifyKey, ZVerifyRequest } from "./verify-key";

export const VERIFY_PATH = "/api/v1/keys/verify";

/**
 * POST /api/v1/keys/verify, whole: the caller's budget, the JSON body (type, size, shape), the
 * verdict, and every failure as problem+json. One implementation for both ways in: the route
 * handler (app/api/v1/keys/verify/route.ts, for `next dev` and platforms that run Next alone) and
 * the front server's fast path (server/front.ts), which answers it without Next's router.
 * The steps and their order are withApi's for a public route (lib/api/with-api.ts).
 */
export async function answerVerify(req: PlainRequest): Promise<PlainResponse> {
  try {
    const wait = admitKeyCheck(req.ip);
    if (wait !== null) throw rateLimited(wait);
    const read = async () => {
      const bytes = await req.readBody(DEFAULT_MAX_BODY_BYTES);
      if (bytes === null) throw tooLarge(DEFAULT_MAX_BODY_BYTES);
      return bytes;
    };
    const body = ZVerifyRequest.parse(await parseJsonBody(req.contentType, read));
    return plainJson(await verifyKey(body.key, { scope: body.scope, callerIp: req.ip, clientIp: body.ip ?? null, gate: false }));
  } catch (error) {
    const failure = toKeywardError(error, `POST ${VERIFY_PATH}`);
    // A refused oversized body is left unread on the socket: close the connection (see withApi).
    return plainProblem(failure, failure.code === "PAYLOAD_TOO_LARGE" ? { connection: "close" } : undefined);
  }
}
