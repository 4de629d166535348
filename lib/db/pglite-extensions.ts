// The PostgreSQL extensions Keyward's migrations create, for every PGlite it opens (the embedded
// database, and the throwaway ones migrations are authored against). PostgreSQL servers ship
// them as contrib modules; PGlite needs each one passed in when the database is created.
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";

/** Trigram indexes for substring search (admin key search). */
export const PGLITE_EXTENSIONS = { pg_trgm };
