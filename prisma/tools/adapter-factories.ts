// The two driver adapter factories the schema engine runs on:
// - deploy: stock @prisma/adapter-pg against the real database (PostgreSQL or embedded PGlite
//   served over the wire protocol);
// - authoring: throwaway in-memory PGlite databases through pglite-prisma-adapter, used as the
//   engine's main and shadow databases when it replays the migrations folder.
// Both wrap the stock adapters rather than patching them, to fix how a migration script is run
// and to own every connection, so a command can close them all before it returns.
import { PGlite, messages } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import { PGLITE_EXTENSIONS } from "../../lib/db/pglite-extensions";

export interface ClosableAdapterFactory extends SqlMigrationAwareDriverAdapterFactory {
  /** Closes every connection and database the factory opened. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Stock adapter-pg with two adjustments:
 * - one pooled connection, so the engine's session-level advisory lock (which serialises
 *   concurrent deploys) and the migration scripts share one session;
 * - each migration script is sent whole, as `prisma migrate deploy` does. adapter-pg's
 *   `executeScript` splits on every ";" (breaking a ";" inside a string or function body) and
 *   runs the pieces one by one, so a failing migration would leave its first statements
 *   applied. Sent as one simple-protocol query, PostgreSQL runs the script in one implicit
 *   transaction: all or nothing.
 */
export function createDeployAdapterFactory(connectionString: string): ClosableAdapterFactory {
  const pg = new PrismaPg({ connectionString, max: 1 });
  const opened: SqlDriverAdapter[] = [];
  return {
    provider: pg.provider,
    adapterName: pg.adapterName,
    async connect() {
      const adapter = await pg.connect();
      // executeRaw without parameters goes through pg's simple query protocol, which accepts
      // several statements; its errors are mapped like any other query's.
      const wrapped = withExecuteScript(adapter, async (script) => {
        await adapter.executeRaw({ sql: script, args: [], argTypes: [] });
      });
      opened.push(wrapped);
      return wrapped;
    },
    connectToShadowDb() {
      // adapter-pg would create the shadow database on the target server; deploying needs none.
      return Promise.reject(new Error("The deploy connection has no shadow database."));
    },
    async close() {
      await Promise.all(opened.splice(0).map((adapter) => adapter.dispose()));
    },
  };
}

/**
 * In-memory PGlite databases, one per connection the engine asks for. pglite-prisma-adapter's
 * own `connectToShadowDb` creates a PGlite it never closes, and its `executeScript` does not
 * await the script (a broken migration would pass), so this factory creates the databases
 * itself, awaits scripts, and closes each database when the engine disposes of it or at close().
 */
export function createAuthoringAdapterFactory(): ClosableAdapterFactory {
  const closers: (() => Promise<void>)[] = [];

  async function open(): Promise<SqlDriverAdapter> {
    const db = new PGlite({ extensions: PGLITE_EXTENSIONS });
    const closeDb = once(() => db.close());
    closers.push(closeDb);
    // A development dependency: loaded only when authoring, so that applying migrations (npm
    // start, npm run db:migrate) works on an install without them (npm ci --omit=dev, the image).
    const { PrismaPGlite } = await import("pglite-prisma-adapter");
    const adapter = await new PrismaPGlite(db).connect();
    return {
      ...withExecuteScript(adapter, async (script) => {
        try {
          await db.exec(script);
        } catch (error) {
          throw toDriverAdapterError(error);
        }
      }),
      dispose: closeDb,
    };
  }

  return {
    provider: "postgres",
    adapterName: "pglite-prisma-adapter",
    connect: open,
    connectToShadowDb: open,
    async close() {
      await Promise.all(closers.splice(0).map((closeDb) => closeDb()));
    },
  };
}

function withExecuteScript(
  adapter: SqlDriverAdapter,
  executeScript: (script: string) => Promise<void>,
): SqlDriverAdapter {
  const { getConnectionInfo } = adapter;
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (query) => adapter.queryRaw(query),
    executeRaw: (query) => adapter.executeRaw(query),
    startTransaction: (isolationLevel) => adapter.startTransaction(isolationLevel),
    getConnectionInfo: getConnectionInfo && (() => getConnectionInfo.call(adapter)),
    // The engine may dispose of a connection itself; close() then must not end it twice.
    dispose: once(() => adapter.dispose()),
    executeScript,
  };
}

function once(run: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= run());
}

// The engine reports a DriverAdapterError's fields (code, message…) in its own error; any
// other error would reach it only as an opaque "GenericJs" id.
function toDriverAdapterError(error: unknown): unknown {
  if (!(error instanceof messages.DatabaseError)) return error;
  return new DriverAdapterError({
    kind: "postgres",
    code: error.code ?? "N/A",
    severity: error.severity ?? "N/A",
    message: error.message,
    detail: error.detail,
    column: error.column,
    hint: error.hint,
  });
}
