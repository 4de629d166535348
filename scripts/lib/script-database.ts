// The database of a command run beside Keyward (npm run user:admin, npm run db:remove-demo): the
// settings npm start reads (the environment, then .env files), and DATABASE_URL or else the
// embedded database: the running server's, through its socket, or opened here when none runs.
// Sets process.env before lib/ is imported, so lib/ reads the same settings the server does.
import { resolve } from "node:path";
import nextEnv from "@next/env";

const root = resolve(import.meta.dirname, "../..");

export interface ScriptDatabase {
  /** Whether a running Keyward's embedded database is being used. */
  running: boolean;
  close(): Promise<void>;
}

export async function openScriptDatabase(): Promise<ScriptDatabase> {
  nextEnv.loadEnvConfig(resolve(process.env.KEYWARD_CONFIG_DIR ?? root), false, { info() {}, error: console.error });
  // Links printed or emailed point where npm start would serve.
  process.env.APP_URL ??= `http://localhost:${process.env.PORT ?? 3000}`;
  process.env.DATABASE_POOL_SIZE = "2";
  if (process.env.DATABASE_URL) return { running: false, close: async () => undefined };
  const { openEmbeddedDatabase } = await import("../../lib/db/embedded");
  const db = await openEmbeddedDatabase({ dataDir: resolve(root, process.env.KEYWARD_DATA_DIR ?? ".data", "pglite") });
  process.env.DATABASE_URL = db.url;
  return { running: db.running, close: () => db.close() };
}
