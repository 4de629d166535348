import "server-only";
import { PrismaClient } from "./generated/client";
import { createPgAdapter } from "./pg-adapter";

// One client per process, kept on globalThis so dev reloads and the separately bundled proxy
// share one pool. Secret columns (and the idle sweep's bookkeeping, idleSeenAt) are omitted
// everywhere unless a query asks for them.
function createClient() {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) {
    throw new Error("DATABASE_URL is not set. Start Keyward with `npm start` (embedded database) or set DATABASE_URL.");
  }
  const adapter = createPgAdapter({
    connectionString,
    max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
    // Named, so pg_stat_activity tells the pool from the listener and the sweep lock (README:
    // the connection budget).
    application_name: "keyward",
    // Fail fast when the database is down: verification answers 503 instead of hanging.
    connectionTimeoutMillis: 3000,
  });
  return new PrismaClient({
    adapter,
    omit: {
      user: { passwordHash: true },
      apiKey: { hash: true, idleSeenAt: true },
      totpFactor: { secretSealed: true },
      recoveryCode: { codeHash: true },
    },
  });
}

type Client = ReturnType<typeof createClient>;
const globalForPrisma = globalThis as unknown as { keywardPrisma?: Client };

function getClient(): Client {
  return (globalForPrisma.keywardPrisma ??= createClient());
}

/** The shared client, created on first use (so `next build` never needs a database). */
export const prisma: Client = new Proxy({} as Client, {
  get(_target, property) {
    const client = getClient();
    const value = Reflect.get(client, property, client);
    return typeof value === "function" ? value.bind(client) : value;
  },
});

export type Db = Client;
export type Tx = Parameters<Parameters<Client["$transaction"]>[0]>[0];
export { Prisma } from "./generated/client";
export type { BlacklistReason, Role } from "./generated/client";
