// Two connection strings, Prisma's directUrl convention: DATABASE_URL for the pool (it may point
// at a transaction-mode pooler such as PgBouncer), DATABASE_DIRECT_URL for what needs a session of
// its own on the server itself: LISTEN (the key-cache listener), the sweep's advisory locks, and
// migrations (the engine's advisory lock, DDL). A transaction-mode pooler would hand each of
// those statements to whichever server connection is free, and a LISTEN there hears nothing.
// No "server-only": the start script and the migration tool use it too.

/** The session connection string: DATABASE_DIRECT_URL, or DATABASE_URL when that is unset. */
export function directDatabaseUrl(source: Record<string, string | undefined> = process.env): string | undefined {
  const direct = source.DATABASE_DIRECT_URL?.trim();
  return direct ? direct : source.DATABASE_URL;
}
