import "server-only";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { BlockedTargetError, guardedLookup, guardSocket, isPublicAddress, literalHost } from "./target-guard";
import { log } from "@/lib/log/logger";

/** How long a receiver may take to answer, whole. */
export const SEND_TIMEOUT_MS = 10_000;
/** Kept of a receiver's answer, for the deliveries page. */
const MAX_ANSWER_BYTES = 2048;

export interface SendResult {
  ok: boolean;
  status: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * One POST to a receiver. 2xx is success; anything else (a redirect included: a webhook is not
 * followed elsewhere), a timeout or a refused address is a failure with its reason. A refused
 * address is refused before anything is sent to it, so nothing is read from it either.
 */
export function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  allowPrivate: boolean,
): Promise<SendResult> {
  const started = performance.now();
  const target = new URL(url);
  const request = target.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const done = (result: Omit<SendResult, "durationMs">) => {
      if (settled) return;
      settled = true;
      resolve({ ...result, durationMs: Math.round(performance.now() - started) });
    };
    const refuse = (error: BlockedTargetError) => {
      log.warn({ host: target.host, detail: error.detail }, "webhook delivery refused");
      done({ ok: false, status: null, error: error.message });
    };
    // A literal is judged before connecting: connecting first, then refusing, would tell whether
    // something listens there (refused vs. blocked), and reach it.
    const literal = allowPrivate ? null : literalHost(target);
    if (literal !== null && !isPublicAddress(literal)) return refuse(new BlockedTargetError(literal, literal));
    const req = request(
      target,
      {
        method: "POST",
        headers: {
          ...headers,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          "user-agent": "Keyward-Webhooks/1",
        },
        lookup: guardedLookup(allowPrivate),
        timeout: SEND_TIMEOUT_MS,
      },
      (res) => {
        let answer = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          if (answer.length < MAX_ANSWER_BYTES) answer += chunk;
        });
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          const ok = status >= 200 && status < 300;
          done({ ok, status, error: ok ? null : `HTTP ${status}${answer ? `: ${answer.slice(0, 200)}` : ""}` });
        });
        res.on("error", (error) => done({ ok: false, status: res.statusCode ?? null, error: error.message }));
      },
    );
    if (!allowPrivate) req.on("socket", (socket) => guardSocket(socket, target.hostname));
    req.setTimeout(SEND_TIMEOUT_MS, () => req.destroy(new Error(`No answer within ${SEND_TIMEOUT_MS / 1000} s`)));
    req.on("error", (error) =>
      error instanceof BlockedTargetError ? refuse(error) : done({ ok: false, status: null, error: error.message }),
    );
    req.end(body);
  });
}
