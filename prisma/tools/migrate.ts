// Keyward's offline replacement for the `prisma migrate` commands it needs (run with tsx):
//   deploy         apply pending migrations to DATABASE_DIRECT_URL (default DATABASE_URL), or
//                  to the embedded database when DATABASE_URL is unset   (npm run db:migrate)
//   create <name>  write a migration for the changes in prisma/schema.prisma
//                                                 (npm run db:migration -- <name>)
//   check          exit 1 and print the SQL when schema.prisma and the migrations disagree
import path from "node:path";
import { directDatabaseUrl } from "../../lib/db/direct-url";
import { applyMigrations, createMigration, diffMigrationsToSchema } from "./engine";

const USAGE = "Usage: tsx prisma/tools/migrate.ts deploy | create <name> | check";

async function deploy(): Promise<void> {
  if (process.env.DATABASE_URL) {
    // DDL and the engine's advisory lock want a session on the server, not a pooler's.
    await deployTo(directDatabaseUrl()!);
    return;
  }
  // Imported only here: PGlite is heavy, and deploying to PostgreSQL does not need it.
  const { startEmbeddedDatabase } = await import("../../lib/db/embedded");
  const dataDir = path.join(process.env.KEYWARD_DATA_DIR ?? ".data", "pglite");
  console.log(`DATABASE_URL is not set: migrating the embedded database in ${dataDir}`);
  const db = await startEmbeddedDatabase({ dataDir });
  try {
    await deployTo(db.url);
  } finally {
    await db.close();
  }
}

async function deployTo(databaseUrl: string): Promise<void> {
  const started = performance.now();
  const { applied } = await applyMigrations(databaseUrl, { log: (line) => console.log(line) });
  const took = `${Math.round(performance.now() - started)} ms`;
  console.log(
    applied.length === 0
      ? `Database is up to date (${took}).`
      : `Applied ${applied.length} migration(s) in ${took}: ${applied.join(", ")}`,
  );
}

async function create(name: string | undefined): Promise<void> {
  if (!name) throw new Error(`A migration name is required. ${USAGE}`);
  const folder = await createMigration(name);
  console.log(folder === null ? "No changes" : `Created ${path.relative(process.cwd(), folder)}`);
}

async function check(): Promise<boolean> {
  const sql = await diffMigrationsToSchema();
  if (sql === "") {
    console.log("prisma/schema.prisma and prisma/migrations agree.");
    return true;
  }
  console.error("prisma/schema.prisma has changes no migration contains. Missing SQL:\n");
  console.error(sql);
  console.error("Create a migration with: npm run db:migration -- <name>");
  return false;
}

async function main(args: string[]): Promise<boolean> {
  const [command, ...rest] = args;
  switch (command) {
    case "deploy":
      await deploy();
      return true;
    case "create":
      await create(rest.join(" ") || undefined);
      return true;
    case "check":
      return check();
    default:
      throw new Error(command ? `Unknown command "${command}". ${USAGE}` : USAGE);
  }
}

// Until main settles, a run that ends early (an emptied event loop with a promise never
// settled) must not read as success.
process.exitCode = 1;
main(process.argv.slice(2)).then(
  (ok) => {
    process.exitCode = ok ? 0 : 1;
  },
  (error: unknown) => {
    // One line: the cause is what the reader needs; the stack is noise for a CLI.
    const message = error instanceof Error ? error.message : String(error);
    console.error(`migrate: ${message.replaceAll(/\s*\n\s*/g, " ")}`);
    process.exitCode = 1;
  },
);
