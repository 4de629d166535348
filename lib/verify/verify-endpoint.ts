import "server-only";
import { DEFAULT_MAX_BODY_BYTES, parseJsonBody, tooLarge } from "@/lib/api/read-body";
import { plainJson, plainProblem, toKeywardError } from "@/lib/api/respond";
import { env } from "@/lib/env";
import { KeywardError, rateLimited } from "@/lib/errors";
import type { PlainRequest, PlainResponse } from "@/lib/http/plain-exchange";
import { admitKeyCheck, admitVerifierCheck } from "@/lib/keys/check/key-check-limits";
import type { Verifier } from "@/lib/keys/check/verifier-reach";
import { TOKEN_PREFIX } from "@/lib/keys/format";
import { verifyKey, ZVerifyRequest } from "@/lib/keys/check/verify-key";
import { metricsOn, recordVerify, verifyOutcomeOf } from "@/lib/metrics/registry";
import { bearerOf } from "@/lib/tokens/authenticate-token";
import { verifierFor } from "@/lib/tokens/verifier";

export const VERIFY_PATH = "/api/v1/keys/verify";

const WWW_AUTHENTICATE = 'Bearer realm="keyward", scope="verify"';

/** Whether answers are counted and timed: without metrics, not even the clock is read. */
const METERED = metricsOn();

/**
 * POST /api/v1/keys/verify, whole: who asks (an anonymous caller, or a verifier token under
 * VERIFY_AUTH), their budget, the JSON body (type, size, shape), the verdict, and every failure as
 * problem+json. One implementation for both ways in: the route handler (app/api/v1/keys/verify/
 * route.ts, for `next dev` and platforms that run Next alone) and the front server's fast path
 * (server/front.ts), which answers it without Next's router. The steps and their order are
 * withApi's for a public route (lib/routes/with-api.ts).
 */
export async function answerVerify(req: PlainRequest): Promise<PlainResponse> {
  const started = METERED ? performance.now() : 0;
  let code: string | undefined;
  let answer: PlainResponse;
  try {
    const verifier = await admit(req);
    const read = async () => {
      const bytes = await req.readBody(DEFAULT_MAX_BODY_BYTES);
      if (bytes === null) throw tooLarge(DEFAULT_MAX_BODY_BYTES);
      return bytes;
    };
    const body = ZVerifyRequest.parse(await parseJsonBody(req.contentType, read));
    if (body.ip !== undefined && verifier === null && env.VERIFY_AUTH !== "off") {
      // Anyone may name any address: only a caller Keyward knows is believed (README, `ip`).
      throw new KeywardError(
        "UNPROCESSABLE",
        "`ip` is honoured only from an authenticated verifier: send Authorization: Bearer <API token with the verify scope>.",
        [{ path: "ip", message: "needs a verifier token" }],
      );
    }
    const clientIp = body.ip ?? null;
    const result = await verifyKey(body.key, { scope: body.scope, callerIp: req.ip, clientIp, gate: false, verifier });
    code = result.code;
    answer = plainJson(result);
  } catch (error) {
    answer = problemOf(error);
  }
  if (METERED) recordVerify(req.via, verifyOutcomeOf(answer.status, code), (performance.now() - started) / 1000);
  return answer;
}

function problemOf(error: unknown): PlainResponse {
  const failure = toKeywardError(error, `POST ${VERIFY_PATH}`);
  // A refused oversized body is left unread on the socket: close the connection (see withApi).
  if (failure.code === "PAYLOAD_TOO_LARGE") return plainProblem(failure, { connection: "close" });
  if (failure.status === 401) return plainProblem(failure, { "www-authenticate": WWW_AUTHENTICATE });
  return plainProblem(failure);
}

/**
 * The token a caller offers as a verifier. Under VERIFY_AUTH=optional, an Authorization header
 * that carries no API token at all (a service forwarding its own client's header, as callers did
 * before verifiers existed) leaves the caller anonymous; anything shaped like a token is checked.
 */
function verifierBearer(header: string | null): string | null {
  const bearer = bearerOf(header);
  if (bearer === null) return null;
  return env.VERIFY_AUTH === "optional" && !bearer.startsWith(`${TOKEN_PREFIX}_`) ? null : bearer;
}

/**
 * Who asks, within their budget: the verifier a token names (VERIFY_AUTH optional or required),
 * else an anonymous caller (refused when VERIFY_AUTH=required), counted by address. A token that
 * does not work is refused, never taken for an anonymous call, and still costs its address a check.
 */
async function admit(req: PlainRequest): Promise<Verifier | null> {
  const bearer = env.VERIFY_AUTH === "off" ? null : verifierBearer(req.authorization);
  if (bearer === null) {
    if (env.VERIFY_AUTH === "required") {
      throw new KeywardError(
        "UNAUTHORIZED",
        "This Keyward verifies keys for known services only: send Authorization: Bearer <API token with the verify scope>.",
      );
    }
    const wait = admitKeyCheck(req.ip);
    if (wait !== null) throw rateLimited(wait);
    return null;
  }
  let verifier: Verifier;
  try {
    verifier = await verifierFor(bearer);
  } catch (error) {
    const wait = admitKeyCheck(req.ip);
    if (wait !== null) throw rateLimited(wait);
    throw error;
  }
  const wait = admitVerifierCheck(verifier.tokenId);
  if (wait !== null)
    throw rateLimited(
      wait,
      "This verifier token has used up its verifications for this minute (VERIFY_TOKEN_RATE_LIMIT).",
    );
  return verifier;
}
