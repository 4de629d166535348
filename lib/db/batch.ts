// Batched, set-based work: each batch is one statement (its own transaction) that claims a
// bounded number of rows and walks on with a keyset cursor (time, id), so batch k does not rescan
// the k-1 batches before it. The sweep's steps and notify's email queue are written this way; a
// batch statement ends with one row of counts and the cursor after the last row it reached.

/** A keyset position: the next batch starts after the row (at, id). */
export interface Cursor {
  at: Date;
  id: string;
}

/** Where a walk starts: before every row. */
export const START: Cursor = { at: new Date("0001-01-01T00:00:00.000Z"), id: "" };

export interface BatchResult {
  /** Rows this statement claimed, plus the last key a skipping walk scanned (0: the step is done). */
  picked: number;
  /** Rows it changed (less than picked when a concurrent sweep won the race). */
  changed: number;
  /** Owner notices written in the same statement (lib/notify picks them up). */
  noticed: number;
  /** The last row claimed: the next batch starts after it. */
  cursor: Cursor | null;
}

/** The closing row a batch statement selects (PostgreSQL counts arrive as bigint). */
export interface BatchRow {
  picked: bigint | number;
  changed: bigint | number;
  noticed?: bigint | number;
  last_at?: Date | null;
  last_id?: string | null;
}

export const toResult = (rows: BatchRow[]): BatchResult => {
  const row = rows[0];
  return {
    picked: Number(row?.picked ?? 0),
    changed: Number(row?.changed ?? 0),
    noticed: Number(row?.noticed ?? 0),
    cursor: row?.last_at && row.last_id ? { at: row.last_at, id: row.last_id } : null,
  };
};
