// Keyward's HTTP server: Next's request handler behind a plain node:http server of our own
// (server/front.ts), so that the socket's address, hostile request targets and oversized bodies
// are dealt with before Next, and so that a stop is graceful: stop accepting, finish what is in
// flight, flush buffered usage counts, exit. `npm start` and `npm run dev` run this file as a
// child process (scripts/lib/app-server.ts); it stops when that parent goes away.
//
//   node --expose-gc --import tsx server/main.ts [--dev]     (PORT, HOST and the app's settings from the environment)
//
// --expose-gc lets long exports collect their garbage as they go (lib/server/gc.ts); without it
// they still work, with a memory peak that grows with their size.
import { createServer, type Server } from "node:http";
import { resolve } from "node:path";
import { parseTrustedProxies } from "@/lib/net/client-address";
import { markFrontServer, runShutdownHooks } from "@/lib/server/lifecycle";
import { createFrontHandler } from "./front";

const dev = process.argv.includes("--dev");
// Next picks its mode from NODE_ENV when it loads; `next start`/`next dev` set it the same way.
(process.env as Record<string, string | undefined>).NODE_ENV ??= dev ? "development" : "production";
process.env.NEXT_TELEMETRY_DISABLED = "1";

/** In-flight requests get this long to finish after a stop signal; then connections are cut. */
const DRAIN_MS = 5000;
/** Whatever happens, the process is gone this long after a stop signal (callers wait 10 s). */
const HARD_STOP_MS = 9000;

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? "127.0.0.1";
  const trust = parseTrustedProxies(process.env.TRUSTED_PROXIES);
  markFrontServer();

  const { default: next } = await import("next");
  const app = next({ dev, dir: resolve(import.meta.dirname, ".."), hostname: host, port });
  await app.prepare();
  const hsts = (process.env.APP_URL ?? "").startsWith("https:");
  const server = createServer(createFrontHandler({ next: app.getRequestHandler(), trust, hsts }));
  if (dev) server.on("upgrade", app.getUpgradeHandler());

  installStop(server);
  await new Promise<void>((ready, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => ready());
  });
  console.log(`[keyward] serving on http://${host.includes(":") ? `[${host}]` : host}:${port}${dev ? " (development)" : ""}`);
}

/**
 * SIGTERM, SIGINT, or the parent process gone (its IPC channel closes, even after a SIGKILL):
 * all end in one stop, however many of them arrive. A process group signal reaches this process
 * twice (from the group and from the parent passing it on); the second must not cut the first
 * short, which is why this listens with `on` and ignores repeats instead of using `once`.
 */
function installStop(server: Server): void {
  let stopping = false;
  const stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => {
      console.error("[keyward] stop took too long; exiting now");
      process.exit(1);
    }, HARD_STOP_MS).unref();
    void (async () => {
      console.log(`[keyward] stopping (${why})`);
      const closed = new Promise<void>((done) => server.close(() => done()));
      server.closeIdleConnections();
      const drained = await Promise.race([closed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), DRAIN_MS))]);
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
  console.error(`[keyward] the server could not start: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
