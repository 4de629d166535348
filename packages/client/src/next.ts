// Next.js (App Router) route handlers and proxy.ts, or anything else built on the web's Request
// and Response:
//   export const GET = withKeyward(async (req, ctx, verdict) => Response.json({ hello: verdict.name }), { client });
// and in proxy.ts, `const gate = await keywardGate(req, { client })`: a Response to return as is,
// or the VALID verdict to pass on (see the README's example).
import { checkRequest, type GateOptions } from "./gate.js";
import type { ValidVerdict } from "./types.js";

export interface KeywardRequestOptions extends GateOptions {
  /**
   * The client's address, for keys with an IP allowlist: the web Request does not carry it.
   * Behind your own proxy, read it from the header that proxy sets (and only then).
   */
  clientIp?: (req: Request) => string | undefined;
}

/** A Response to answer with (401, 403, 429, 503), or the verdict of a key that may pass. */
export async function keywardGate(req: Request, options: KeywardRequestOptions): Promise<Response | ValidVerdict> {
  const outcome = await checkRequest((name) => req.headers.get(name) ?? undefined, options.clientIp?.(req), options);
  if (outcome.pass) return outcome.verdict;
  return new Response(outcome.answer.body, { status: outcome.answer.status, headers: outcome.answer.headers });
}

export function withKeyward<C>(
  handler: (req: Request, context: C, verdict: ValidVerdict) => Response | Promise<Response>,
  options: KeywardRequestOptions,
): (req: Request, context: C) => Promise<Response> {
  return async (req, context) => {
    const gate = await keywardGate(req, options);
    return gate instanceof Response ? gate : handler(req, context, gate);
  };
}
