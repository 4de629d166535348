// A major garbage collection on request, for the rare job that turns a large amount of data
// into short-lived garbage (the audit export). Keyward's server is started with --expose-gc
// (server/app-server.ts) for this; anywhere else (next start, tests) it does nothing.
//
// Why: every database read (Prisma, and plain pg alike) leaves garbage that V8 promotes to the
// old generation, which is only collected once it reaches a limit set as a multiple of the
// live heap. For a server whose live heap is Next's, a large export let the heap grow to several
// times that before the first full collection (docs/performance.md). Nothing was retained; it was
// uncollected.

type Gc = (options: { type: "major"; execution: "async" }) => Promise<void> | void;

/** Whether collections can be requested in this process (it was started with --expose-gc). */
export const canCollectGarbage = (): boolean => typeof (globalThis as { gc?: unknown }).gc === "function";

/**
 * Starts a major collection with incremental (mostly concurrent) marking: the event loop keeps
 * serving other requests while it runs. No-op without --expose-gc.
 */
export function startMajorGc(): void {
  const gc = (globalThis as { gc?: Gc }).gc;
  if (typeof gc !== "function") return;
  try {
    void Promise.resolve(gc({ type: "major", execution: "async" })).catch(() => undefined);
  } catch {
    // An engine without the options form: a collection is an optimisation, never a failure.
  }
}
