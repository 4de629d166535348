// What the process does when it stops, and whether Keyward's own HTTP server (server/) is in
// front of Next. Pure and kept on globalThis: the server is loaded by Node and the routes by
// Next's bundler, so each has its own copy of this module, and they must meet in one registry.
import { log } from "@/lib/log/logger";

type Hook = () => Promise<void>;

interface Lifecycle {
  hooks: { name: string; run: Hook }[];
  frontServer: boolean;
}

const KEY = Symbol.for("keyward.lifecycle");
const state: Lifecycle = ((globalThis as { [KEY]?: Lifecycle })[KEY] ??= { hooks: [], frontServer: false });

/** Registers work for a graceful stop (e.g. flushing buffered usage counts). Once per name. */
export function onShutdown(name: string, run: Hook): void {
  if (!state.hooks.some((hook) => hook.name === name)) state.hooks.push({ name, run });
}

/** Runs every hook once, in order; a failing hook is logged and the others still run. */
export async function runShutdownHooks(): Promise<void> {
  const hooks = state.hooks.splice(0);
  for (const hook of hooks) {
    try {
      await hook.run();
    } catch (error) {
      log.error({ err: error, hook: hook.name }, "a shutdown step failed");
    }
  }
}

/** Called by server/ before Next loads: the client address header it sets can be trusted. */
export function markFrontServer(): void {
  state.frontServer = true;
}

export function behindFrontServer(): boolean {
  return state.frontServer;
}
