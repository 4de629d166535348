// Gives a test run a database of its own, so runs never see each other's rows: a new database
// on the PostgreSQL server named by TEST_DATABASE_URL, or else a fresh in-memory PGlite.
import { randomBytes } from "node:crypto";
import { Client } from "pg";
import { startEmbeddedDatabase } from "../../lib/db/embedded";

export interface TestDatabase {
  url: string;
  kind: "postgres" | "embedded";
  drop(): Promise<void>;
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

export async function provisionTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const db = await startEmbeddedDatabase({});
    return { url: db.url, kind: "embedded", drop: () => db.close() };
  }
  return createPostgresDatabase(parseLocalUrl(adminUrl));
}

// Tests create and drop databases, so a URL copied from a shared or production environment
// must not be used by accident.
function parseLocalUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Not echoed: it may contain a password.
    throw new Error("TEST_DATABASE_URL is not a valid URL.");
  }
  // pg takes a unix socket directory from ?host=, and a socket is always local.
  const host = (url.searchParams.get("host") ?? url.hostname).toLowerCase();
  const local = LOCAL_HOSTS.has(host) || host.startsWith("/");
  if (!local && process.env.KEYWARD_ALLOW_REMOTE_TEST_DB !== "1") {
    throw new Error(
      `TEST_DATABASE_URL points at "${host}", which is not this machine. Tests create and drop ` +
        "databases there; set KEYWARD_ALLOW_REMOTE_TEST_DB=1 if that is really what you want.",
    );
  }
  return url;
}

async function createPostgresDatabase(adminUrl: URL): Promise<TestDatabase> {
  // Only digits, hex and underscores: safe to splice into SQL, as CREATE DATABASE takes no parameters.
  const name = `keyward_test_${Date.now()}_${randomBytes(4).toString("hex")}`;
  try {
    await asAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  } catch (error) {
    throw new Error(`Could not create a test database on ${adminUrl.host} (TEST_DATABASE_URL).`, { cause: error });
  }

  const url = new URL(adminUrl.href);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    kind: "postgres",
    drop: () =>
      asAdmin(adminUrl, async (client) => {
        // A pool a test forgot to end would make DROP DATABASE fail.
        await client.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
          [name],
        );
        await client.query(`DROP DATABASE IF EXISTS ${name}`);
      }),
  };
}

async function asAdmin(adminUrl: URL, work: (client: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: adminUrl.href });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
