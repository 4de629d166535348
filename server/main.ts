// Keyward's HTTP server: Next's request handler behind a plain node:http server of our own
// (server/front.ts), so that the socket's address, hostile request targets and oversized bodies
// are dealt with before Next, and so that a stop is graceful: stop accepting, finish what is in
// flight, flush buffered usage counts, exit. `npm start` and `npm run dev` run this file as a
// child process (server/app-server.ts); it stops when that parent goes away.
//
//   node --expose-gc --import tsx server/main.ts [--dev]     (PORT, HOST and the app's settings from the environment)
//
// --expose-gc lets long exports collect their garbage as they go (lib/process/gc.ts); without it
// they still work, with a memory peak that grows with their size.
import { createServer, type Server, type ServerOptions } from "node:http";
import { resolve } from "node:path";
import { parseEnv } from "@/lib/env-schema.mjs";
import { log } from "@/lib/log/logger";
import { parseTrustedProxies } from "@/lib/net/client-address";
import { markFrontServer, runShutdownHooks } from "@/lib/process/lifecycle";
import { limitConnectionsPerClient } from "./connection-limit";
import { createFrontHandler, settled } from "./front";
import { METRICS_PATH, serveMetrics, type MetricsAccess } from "./metrics-endpoint";

const dev = process.argv.includes("--dev");
// Next picks its mode from NODE_ENV when it loads; `next start`/`next dev` set it the same way.
(process.env as Record<string, string | undefined>).NODE_ENV ??= dev ? "development" : "production";
process.env.NEXT_TELEMETRY_DISABLED = "1";

/** In-flight requests get this long to finish after a stop signal; then connections are cut. */
const DRAIN_MS = 5000;
/** Whatever happens, the process is gone this long after a stop signal (callers wait 10 s). */
const HARD_STOP_MS = 9000;
/** How often Node checks requests in progress against their timeouts: a slow client is cut this long after its time at most. */
const TIMEOUT_CHECK_MS = 1000;

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? "127.0.0.1";
  const trust = parseTrustedProxies(process.env.TRUSTED_PROXIES);
  const env = parseEnv(process.env);
  markFrontServer();

  const { default: next } = await import("next");
  const app = next({ dev, dir: resolve(import.meta.dirname, ".."), hostname: host, port });
  await app.prepare();
  const hsts = (process.env.APP_URL ?? "").startsWith("https:");
  // /metrics: on a port of its own when METRICS_PORT is set, else here when METRICS_TOKEN is.
  const metricsAccess: MetricsAccess | undefined =
    env.METRICS_PORT !== undefined || env.METRICS_TOKEN !== undefined ? { token: env.METRICS_TOKEN } : undefined;
  const metricsHere = env.METRICS_PORT === undefined ? metricsAccess : undefined;
  const server = createServer(
    serverOptions(env),
    settled(createFrontHandler({ next: app.getRequestHandler(), trust, hsts, metrics: metricsHere })),
  );
  limitConnectionsPerClient(server, env.HTTP_MAX_CONNECTIONS_PER_CLIENT, trust);
  if (dev) {
    // Hot reload's websocket; a failed upgrade drops that socket, not the process.
    const upgrade = app.getUpgradeHandler();
    server.on("upgrade", (req, socket, head) => void upgrade(req, socket, head).catch(() => socket.destroy()));
  }
  const metricsServer = env.METRICS_PORT !== undefined && metricsAccess ? createMetricsServer(metricsAccess) : null;

  installStop(server, metricsServer);
  await listen(server, port, host);
  const shown = host.includes(":") ? `[${host}]` : host;
  if (metricsServer) {
    await listen(metricsServer, env.METRICS_PORT!, host);
    log.info(
      { port: env.METRICS_PORT, token: env.METRICS_TOKEN !== undefined },
      `metrics on http://${shown}:${env.METRICS_PORT}${METRICS_PATH}`,
    );
  } else if (metricsHere) log.info(`metrics on http://${shown}:${port}${METRICS_PATH} (Bearer METRICS_TOKEN)`);
  log.info({ port, host }, `serving on http://${shown}:${port}${dev ? " (development)" : ""}`);
  // The parent (npm start, the tests) learns here that this very process listens: an answer on
  // the port could come from another program that holds it.
  process.send?.({ keyward: "listening", port });
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((ready, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => {
      server.off("error", fail);
      ready();
    });
  });
}

/** The metrics listener (METRICS_PORT): GET /metrics and nothing else. */
function createMetricsServer(access: MetricsAccess): Server {
  return createServer({ headersTimeout: 10_000, requestTimeout: 30_000 }, (req, res) => {
    if (req.method === "GET" && (req.url ?? "").split("?")[0] === METRICS_PATH) return serveMetrics(req, res, access);
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
    res.end("Not found: this port serves GET /metrics only\n");
  });
}

/**
 * Node's defaults suit a server behind a proxy that buffers requests: 60 s for headers (checked
 * every 30 s), 300 s for a request. Keyward often faces clients directly, and none of its requests
 * needs more than a few seconds to arrive (bodies are 1 MiB at most; answers, however long, are
 * not counted).
 */
function serverOptions(env: ReturnType<typeof parseEnv>): ServerOptions {
  return {
    headersTimeout: env.HTTP_HEADERS_TIMEOUT_MS,
    requestTimeout: env.HTTP_REQUEST_TIMEOUT_MS,
    keepAliveTimeout: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    connectionsCheckingInterval: TIMEOUT_CHECK_MS,
  };
}

/**
 * SIGTERM, SIGINT, or the parent process gone (its IPC channel closes, even after a SIGKILL):
 * all end in one stop, however many of them arrive. A process group signal reaches this process
 * twice (from the group and from the parent passing it on); the second must not cut the first
 * short, which is why this listens with `on` and ignores repeats instead of using `once`.
 */
function installStop(server: Server, metricsServer: Server | null): void {
  let stopping = false;
  const stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => {
      log.error("stop took too long; exiting now");
      process.exit(1);
    }, HARD_STOP_MS).unref();
    void (async () => {
      log.info({ why }, `stopping (${why})`);
      metricsServer?.close();
      metricsServer?.closeAllConnections();
      const closed = new Promise<void>((done) => server.close(() => done()));
      server.closeIdleConnections();
      const drained = await Promise.race([
        closed.then(() => true),
        new Promise<boolean>((r) => setTimeout(() => r(false), DRAIN_MS)),
      ]);
      if (!drained) server.closeAllConnections();
      await runShutdownHooks();
      process.exit(0);
    })();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  if (process.send) process.on("disconnect", () => stop("parent process gone"));
}

main().catch((error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  // What the operator can act on, without a stack trace.
  const port = (error as { port?: number }).port ?? process.env.PORT ?? 3000;
  if (code === "EADDRINUSE")
    log.fatal(
      `port ${port} is in use (another program listens there): stop it, or set PORT (or METRICS_PORT), e.g. PORT=3001.`,
    );
  else if (code === "EACCES")
    log.fatal(`port ${port} needs privileges this user lacks: set PORT above 1023, or put a reverse proxy in front.`);
  else log.fatal({ err: error }, "the server could not start");
  process.exit(1);
});
