import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { directDatabaseUrl } from "@/lib/db/direct-url";
import { LOCK } from "./sweep-steps";

// One email per owner, kind and window, even when sweeps overlap (cron schedulers deliver
// duplicates). Overlapping sweeps split the recording steps batch by batch (sweep-steps.ts), so a
// sweep that gathered pending notices into emails while another was still recording would mail
// each owner part of their keys now and the rest later. The rule: notices are gathered only when
// no sweep is recording them.
//
// A readers-writer lock says so. Every sweep records (expire, grace, remind) under a shared lock,
// which it waits for only while another sweep is gathering. Gathering needs the exclusive lock and
// never waits for it: a sweep that cannot have it leaves the gathering to the sweep that holds the
// lock, which gathers after its own recording (or is gathering now, after every recording that
// overlapped ours had finished). So the last sweep to finish recording gathers everything, once.
// Nothing waits on a gatherer that waits, so nothing deadlocks.
//
// Two layers, both needed:
// - PostgreSQL session-level advisory locks, for sweeps in different processes. They need one
//   session for the whole run: a pg Client of its own (Prisma's pool hands each query to any
//   connection). A killed sweep's locks vanish with its connection, at once. Like LISTEN/NOTIFY,
//   this needs a real session, not a transaction-mode pooler: DATABASE_DIRECT_URL.
// - A counter in this process, for sweeps in one process on the embedded database: PGlite serves
//   every connection from its one session, where a session's locks never conflict with its own,
//   so there the advisory lock always succeeds. Keyward on PGlite is one process; sweeps from two
//   processes there (a script beside the server) are not kept apart, at worst splitting an
//   email as before, and never wait for each other.

const STATE = Symbol.for("keyward.sweep-lock");
/** This process's sweeps: how many hold the shared lock, and whether one holds the exclusive one. */
const local: { recording: number; gathering: boolean } = ((
  globalThis as { [STATE]?: { recording: number; gathering: boolean } }
)[STATE] ??= { recording: 0, gathering: false });

/** How often a sweep waiting for the shared lock tries again. */
const RETRY_MS = 100;
/**
 * Gathering takes seconds. A sweep that has waited this long records anyway (at worst one owner
 * gets two emails): blacklisting expired keys matters more than one email per owner.
 */
const MAX_WAIT_MS = 2 * 60_000;

export interface SweepLock {
  /** Waits until no sweep is gathering, then holds the shared lock. Calls `whileWaiting` on each retry. */
  startRecording(whileWaiting: () => Promise<void>): Promise<void>;
  stopRecording(): Promise<void>;
  /** The exclusive lock if no sweep records or gathers now, without waiting; false otherwise. */
  tryGathering(): Promise<boolean>;
  stopGathering(): Promise<void>;
  /** Releases whatever is still held (after an error) and closes the connection; safe to repeat. */
  close(): Promise<void>;
}

/**
 * Opens the run's own connection to the database Prisma's client uses, directly (session-level
 * advisory locks need a real session: DATABASE_DIRECT_URL, or DATABASE_URL).
 */
export async function openSweepLock(): Promise<SweepLock> {
  const connectionString = directDatabaseUrl();
  if (!connectionString) throw new Error("DATABASE_URL is not set.");
  const client = new pg.Client({
    connectionString,
    connectionTimeoutMillis: 3000,
    application_name: "keyward-sweep-lock",
  });
  // A lost connection has released the locks; the next query here fails and so fails the run.
  // Without a listener the 'error' event would crash the process.
  client.on("error", () => undefined);
  await client.connect();
  return new SessionLock(client);
}

/** The lock over one sweep's own session, and this process's counter. */
class SessionLock implements SweepLock {
  private recording: "none" | "local" | "both" = "none";
  private gathering = false;
  private closing: Promise<void> | undefined;

  constructor(private readonly client: pg.Client) {}

  private async tryLock(fn: "pg_try_advisory_lock_shared" | "pg_try_advisory_lock"): Promise<boolean> {
    const result = await this.client.query<{ locked: boolean }>(`SELECT ${fn}($1) AS locked`, [LOCK.notices]);
    return result.rows[0]?.locked === true;
  }

  async startRecording(whileWaiting: () => Promise<void>): Promise<void> {
    const deadline = Date.now() + MAX_WAIT_MS;
    while (local.gathering && Date.now() < deadline) {
      await whileWaiting();
      await sleep(RETRY_MS);
    }
    local.recording += 1;
    this.recording = "local";
    while (!(await this.tryLock("pg_try_advisory_lock_shared"))) {
      if (Date.now() >= deadline) return;
      await whileWaiting();
      await sleep(RETRY_MS);
    }
    this.recording = "both";
  }

  async stopRecording(): Promise<void> {
    if (this.recording === "none") return;
    try {
      if (this.recording === "both") await this.client.query("SELECT pg_advisory_unlock_shared($1)", [LOCK.notices]);
    } finally {
      local.recording -= 1;
      this.recording = "none";
    }
  }

  async tryGathering(): Promise<boolean> {
    if (local.recording > 0 || local.gathering) return false;
    local.gathering = true;
    try {
      this.gathering = await this.tryLock("pg_try_advisory_lock");
    } finally {
      if (!this.gathering) local.gathering = false;
    }
    return this.gathering;
  }

  async stopGathering(): Promise<void> {
    if (!this.gathering) return;
    try {
      await this.client.query("SELECT pg_advisory_unlock($1)", [LOCK.notices]);
    } finally {
      local.gathering = false;
      this.gathering = false;
    }
  }

  close(): Promise<void> {
    // Ending a session releases its advisory locks, but PGlite's one session outlives this
    // connection: release them by name (and this process's counter) first.
    return (this.closing ??= (async () => {
      await this.stopRecording().catch(() => undefined);
      await this.stopGathering().catch(() => undefined);
      await this.client.end().catch(() => undefined);
    })());
  }
}
