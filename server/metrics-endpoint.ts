// GET /metrics: the registry (lib/metrics) in Prometheus' text format. Never public by default:
// served only when METRICS_TOKEN is set (to callers that send it as a Bearer token) or on a
// listener of its own at METRICS_PORT (server/main.ts), which an operator keeps off the public
// network; with both, the port's callers need the token too. With neither, /metrics is a page
// like any other that does not exist (404).
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { log } from "@/lib/log/logger";
import { metricsRegistry } from "@/lib/metrics/registry";
import { FIXED_HEADERS } from "./respond";

export const METRICS_PATH = "/metrics";

export interface MetricsAccess {
  /** The Bearer token a scrape must send; undefined: none needed (the separate port alone guards it). */
  token: string | undefined;
}

const digest = (value: string) => createHash("sha256").update(value).digest();

/** Whether the Authorization header carries the token, compared in constant time (digests of equal length). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return timingSafeEqual(digest(match?.[1] ?? ""), digest(token)) && match !== null;
}

/** Answers a GET /metrics. */
export function serveMetrics(req: IncomingMessage, res: ServerResponse, access: MetricsAccess): void {
  if (access.token !== undefined && !bearerMatches(req.headers.authorization, access.token)) {
    const body = "Unauthorized: send Authorization: Bearer <METRICS_TOKEN>\n";
    res.writeHead(401, {
      ...FIXED_HEADERS,
      "content-type": "text/plain; charset=utf-8",
      "content-length": Buffer.byteLength(body),
      "www-authenticate": 'Bearer realm="keyward-metrics"',
      "cache-control": "no-store",
    });
    res.end(body);
    return;
  }
  const registry = metricsRegistry();
  registry.metrics().then(
    (text) => {
      if (res.destroyed) return;
      res.writeHead(200, {
        ...FIXED_HEADERS,
        "content-type": registry.contentType,
        "content-length": Buffer.byteLength(text),
        "cache-control": "no-store",
      });
      res.end(text);
    },
    (error: unknown) => {
      log.error({ err: error }, "metrics could not be collected");
      if (res.headersSent || res.destroyed) return;
      res.writeHead(500, {
        ...FIXED_HEADERS,
        "content-type": "text/plain; charset=utf-8",
        "cache-control": "no-store",
      });
      res.end("metrics could not be collected (logged)\n");
    },
  );
}
