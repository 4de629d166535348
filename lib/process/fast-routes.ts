// Routes that Keyward's own HTTP server (server/front.ts) answers without entering Next's router:
// today one, the verify route, which every client of every service calls. The answer is Next's
// own bundled code (registered at start-up by lib/startup/on-start.ts), so there is one copy of
// the verification, its cache and its limits in the process; only the HTTP plumbing differs.
// Kept on globalThis, like lifecycle.ts: the server is loaded by Node and the routes by Next's
// bundler, and they must meet in one registry.
import type { PlainHandler } from "@/lib/http/plain-exchange";

const KEY = Symbol.for("keyward.fast-routes");
const routes: Map<string, PlainHandler> = ((globalThis as { [KEY]?: Map<string, PlainHandler> })[KEY] ??= new Map());

/** Offers `handler` for exact `METHOD /path` requests to the front server. */
export function provideFastRoute(method: string, path: string, handler: PlainHandler): void {
  routes.set(`${method} ${path}`, handler);
}

/** The fast handler for this request, if one was provided. */
export function fastRoute(method: string | undefined, path: string): PlainHandler | undefined {
  return routes.size === 0 ? undefined : routes.get(`${method} ${path}`);
}
