import "server-only";
import { prisma } from "./client";

/** Tables whose statistics the sweep keeps fresh (a constant list: the name goes into SQL). */
export type AnalyzedTable = "Notification";

/**
 * Gathers the planner's statistics of `table` now if it has changed by more rows than it had when
 * they were last gathered (and by at least `minChanges`); returns whether it did. Autovacuum does
 * the same, but in its own time: a first large sweep fills an empty notices table with a million
 * rows within minutes, and while the statistics still say "empty" the planner chose plans that
 * made gathering one owner's notices into an email take 40 s instead of 0.1 s (bench:sweep).
 * Sampling costs a fraction of a second. A database user that does not own the table gets a
 * warning from ANALYZE, not an error, and the sweep goes on.
 */
export async function analyzeIfStale(table: AnalyzedTable, minChanges = 10_000): Promise<boolean> {
  const [row] = await prisma.$queryRaw<{ changed: bigint | null; rows: number | null }[]>`
    SELECT s.n_mod_since_analyze AS changed, c.reltuples AS rows
    FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
    WHERE s.relid = to_regclass(${`"${table}"`})`;
  const changed = Number(row?.changed ?? 0);
  // reltuples is -1 for a table never analyzed.
  const rows = Math.max(0, Number(row?.rows ?? 0));
  if (changed < minChanges || changed <= rows) return false;
  await prisma.$executeRawUnsafe(`ANALYZE "${table}"`);
  return true;
}
