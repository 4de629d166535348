// Loads Prisma's schema engine compiled to WebAssembly (@prisma/schema-engine-wasm, the engine
// behind `prisma migrate`) and runs one engine session over a driver adapter factory.
//
// The package's entry point imports its .wasm file as an ES module, which Node 20 refuses, so we
// do by hand what that entry point does: instantiate the .wasm against the JS glue module and
// hand the instance back to the glue. Nothing under node_modules is modified.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as glue from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { SchemaEngine } from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { ClosableAdapterFactory } from "./adapter-factories";

declare global {
  // Read by the engine's panic hook (`global.PRISMA_WASM_PANIC_REGISTRY.set_message(...)`).
  // Without it a panic surfaces only as "Cannot read properties of undefined".
  var PRISMA_WASM_PANIC_REGISTRY: { set_message(message: string): void } | undefined;
}

export type EngineSession = {
  schemaPath: string;
  schemaText: string;
  log?: (line: string) => void;
};

let lastPanicMessage: string | undefined;
let loaded: Promise<typeof glue> | undefined;

// The engine sets timers (10 s ones during applyMigrations) and never clears them: the glue
// imports setTimeout but no clearTimeout. Left alone they keep Node alive for 10 s after the
// work is done. They stay referenced while a session runs, since the engine may be waiting on
// one; once no session is left they can only be stale, and are cleared.
const engineTimers = new Set<NodeJS.Timeout>();
let activeSessions = 0;

function engineSetTimeout(callback: () => void, delay: number): NodeJS.Timeout {
  const timer = setTimeout(() => {
    engineTimers.delete(timer);
    callback();
  }, delay);
  engineTimers.add(timer);
  return timer;
}

function clearStaleEngineTimers(): void {
  if (activeSessions > 0) return;
  for (const timer of engineTimers) clearTimeout(timer);
  engineTimers.clear();
}

// One instance per process: the glue module keeps the instance in a module-level variable.
function loadSchemaEngine(): Promise<typeof glue> {
  loaded ??= (async () => {
    // Installed before the engine runs. Prisma Client, if loaded later, replaces this object and
    // swaps its own recorder in around each of its calls; an engine panic then still surfaces
    // as an error, only without our message.
    globalThis.PRISMA_WASM_PANIC_REGISTRY = {
      set_message(message: string) {
        lastPanicMessage = message;
      },
    };
    const require = createRequire(import.meta.url);
    const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bytes = await readFile(path.join(path.dirname(gluePath), "schema_engine_bg.wasm"));
    // The import's name carries a build hash (__wbg_setTimeout_5d6a1d4fc51ea450).
    const setTimeoutImport = Object.keys(glue).find((name) => name.startsWith("__wbg_setTimeout_"));
    if (setTimeoutImport === undefined) throw new Error("@prisma/schema-engine-wasm: no setTimeout import found");
    const { instance } = await WebAssembly.instantiate(bytes, {
      "./schema_engine_bg.js": { ...glue, [setTimeoutImport]: engineSetTimeout },
    });
    glue.__wbg_set_wasm(instance.exports);
    const start = instance.exports.__wbindgen_start;
    if (typeof start !== "function") throw new Error("@prisma/schema-engine-wasm: __wbindgen_start is missing");
    start();
    return glue;
  })();
  return loaded;
}

/**
 * Runs `work` against a fresh engine connected through `factory`, then frees the engine and
 * closes every connection the factory opened, whether `work` succeeded or not.
 */
export async function withSchemaEngine<T>(
  factory: ClosableAdapterFactory,
  session: EngineSession,
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  let engine: SchemaEngine | undefined;
  activeSessions++;
  try {
    const { SchemaEngine } = await loadSchemaEngine();
    engine = await SchemaEngine.new(
      { datamodels: [[session.schemaPath, session.schemaText]] },
      (line: string) => forwardEngineLog(line, session.log),
      bindMigrationAwareSqlAdapterFactory(factory),
    );
    return await work(engine);
  } catch (error) {
    throw toEngineError(error);
  } finally {
    engine?.free();
    activeSessions--;
    clearStaleEngineTimers();
    await factory.close();
  }
}

// The engine logs `tracing` events as JSON lines; pass on the human-readable message of the
// INFO-and-above ones ("Applying `20250101000000_init`"), skip DEBUG/TRACE chatter.
function forwardEngineLog(line: string, log: ((line: string) => void) | undefined): void {
  if (!log) return;
  let event: unknown;
  try {
    event = JSON.parse(line);
  } catch {
    log(line);
    return;
  }
  if (typeof event !== "object" || event === null || !("level" in event) || !("fields" in event)) return;
  const { level, fields } = event;
  if (level !== "INFO" && level !== "WARN" && level !== "ERROR") return;
  if (typeof fields === "object" && fields !== null && "message" in fields && typeof fields.message === "string") {
    log(level === "INFO" ? fields.message : `${level}: ${fields.message}`);
  }
}

// Engine errors carry the cause on their first lines, then a Rust span trace ("   0: schema_...");
// keep the cause, and the migration the trace names when the cause does not. A panic shows up as
// a bare "unreachable" RuntimeError: use the recorded message.
function toEngineError(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(`Schema engine failed: ${String(error)}`);
  if (error.name === "RuntimeError" && lastPanicMessage !== undefined) {
    const message = lastPanicMessage;
    lastPanicMessage = undefined;
    // No engine call is safe after a panic; the process should exit.
    return new Error(`Schema engine panicked: ${message}`, { cause: error });
  }
  const lines = error.message.split("\n");
  const traceStart = lines.findIndex((line) => /^\s*\d+: /.test(line));
  let cause = (traceStart === -1 ? lines : lines.slice(0, traceStart)).join("\n").trim();
  const migration = /migration_name="([^"]+)"/.exec(error.message)?.[1];
  if (migration !== undefined && !cause.includes(migration)) cause = `Migration \`${migration}\`: ${cause}`;
  if (cause === error.message.trim()) return error;
  return new Error(cause, { cause: error });
}
