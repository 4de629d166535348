// Keyward instances for tests that need more than the one `npm test` starts: production servers
// (server/main.ts) as child processes on free ports, each logging to test-results/.
import { randomBytes } from "node:crypto";
import { join, resolve } from "node:path";
import { startAppServer, type AppServer } from "@/server/app-server";
import { freePort } from "@/server/free-port";

const root = resolve(import.meta.dirname, "..");

/**
 * `count` instances on one database, as an operator runs several behind a load balancer: the
 * pool and the direct connection (LISTEN, the sweep's lock) on the same server (no pooler in
 * tests), a fresh AUTH_SECRET each, and verify's per-client limits off so a test's load is not
 * refused as abuse. `env` adds to or overrides this. Logs: test-results/server-<name>-<n>.log.
 */
export function startInstances(
  name: string,
  count: number,
  databaseUrl: string,
  env: Record<string, string | undefined> = {},
): Promise<AppServer[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const port = await freePort();
      return startAppServer({
        root,
        port,
        logFile: join(root, `test-results/server-${name}-${i + 1}.log`),
        env: {
          ...process.env,
          NODE_ENV: "production",
          DATABASE_URL: databaseUrl,
          DATABASE_DIRECT_URL: databaseUrl,
          VERIFY_RATE_LIMIT: "0",
          VERIFY_MISS_LIMIT: "0",
          APP_URL: `http://127.0.0.1:${port}`,
          AUTH_URL: undefined,
          AUTH_SECRET: randomBytes(32).toString("base64url"),
          ...env,
        },
      });
    }),
  );
}
