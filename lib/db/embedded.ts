// PGlite (PostgreSQL compiled to WebAssembly) served over the PostgreSQL wire protocol, so that
// with no DATABASE_URL the app and Prisma still talk to it through `pg` and @prisma/adapter-pg,
// exactly as they would to a real server. Runs in plain Node (the start script, tests), never
// inside Next. PGlite has no authentication, so who may connect is decided by the file system:
// the server listens on a Unix socket in a fresh folder only this user can enter (0700), and the
// data folder is 0700 with its files 0600. The data folder names that socket folder while the
// server runs, so that a command run beside it (npm run user:admin) uses the same database
// instead of being refused the lock.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { PGlite } from "@electric-sql/pglite";
import { serveEmbedded } from "./embedded-server";
import { PGLITE_EXTENSIONS } from "./pglite-extensions";

export interface EmbeddedDatabase {
  url: string;
  /** The folder holding the server's socket (`psql "host=<it> user=postgres"`). */
  socketDir: string;
  close(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  /** Folder holding the data; created if missing. Without one the database lives in memory. */
  dataDir?: string;
}

const LOCK_FILE = "keyward.lock";
/** In the data folder while the server runs: the folder of its socket. */
const SOCKET_NOTE = "keyward.socket";
// The socket's name in its folder, as libpq and pg expect it: <host dir>/.s.PGSQL.<port>.
const SOCKET_PORT = 5432;
const HELD_LOCKS = Symbol.for("keyward.embedded-database.held-locks");
// Lock files this process holds. A lock naming our own pid but missing here was left by an
// earlier run that got the same pid, as usually happens when a container restarts. Kept on
// globalThis so that a second copy of this module still sees the first copy's locks.
const heldLocks: Set<string> = ((globalThis as { [HELD_LOCKS]?: Set<string> })[HELD_LOCKS] ??= new Set());

export async function startEmbeddedDatabase(opts: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const dataDir = opts.dataDir === undefined ? undefined : resolve(opts.dataDir);
  const releaseLock = dataDir === undefined ? undefined : await lockDataDir(dataDir);
  // mkdtemp makes the folder 0700: the socket in it is out of every other user's reach.
  const socketDir = mkdtempSync(join(tmpdir(), "keyward-db-"));

  let db: PGlite | undefined;
  try {
    if (dataDir) restrictToOwner(dataDir);
    db = await PGlite.create(dataDir, { extensions: PGLITE_EXTENSIONS });
    if (dataDir) restrictToOwner(dataDir); // PGlite writes its files world-readable (0666)
    const server = await serveEmbedded(db, join(socketDir, `.s.PGSQL.${SOCKET_PORT}`));
    const note = dataDir === undefined ? undefined : join(realpathSync(dataDir), SOCKET_NOTE);
    if (note) writeFileSync(note, `${socketDir}\n`, { mode: 0o600 });

    const opened = db;
    let closing: Promise<void> | undefined;
    return {
      url: socketUrl(socketDir),
      socketDir,
      close: () =>
        (closing ??= (async () => {
          try {
            if (note) rmSync(note, { force: true });
            await server.close();
            // Closing PGlite shuts PostgreSQL down cleanly, so the next open needs no recovery.
            await opened.close();
            if (dataDir) restrictToOwner(dataDir);
          } finally {
            rmSync(socketDir, { recursive: true, force: true });
            releaseLock?.();
          }
        })()),
    };
  } catch (error) {
    // The start failure is the error worth reporting; a failing close after it would hide it.
    await db?.close().catch(() => undefined);
    rmSync(socketDir, { recursive: true, force: true });
    releaseLock?.();
    throw error;
  }
}

// The server ignores user, password and database name; it is always postgres/postgres.
// sslmode=disable because the server refuses TLS, and a PGSSLMODE=require inherited from the
// environment would otherwise fail every connection.
const socketUrl = (socketDir: string) =>
  `postgres://postgres@localhost:${SOCKET_PORT}/postgres?host=${encodeURIComponent(socketDir)}&sslmode=disable`;

/**
 * The embedded database for a command run beside Keyward (npm run user:admin, db:remove-demo):
 * the running server's, through its socket, when a Keyward serves this data folder; otherwise
 * opened here like startEmbeddedDatabase does. Closing leaves a running server's database alone.
 */
export async function openEmbeddedDatabase(opts: {
  dataDir: string;
}): Promise<EmbeddedDatabase & { running: boolean }> {
  const socketDir = await runningServerSocket(resolve(opts.dataDir));
  if (socketDir) return { url: socketUrl(socketDir), socketDir, running: true, close: async () => undefined };
  return { ...(await startEmbeddedDatabase(opts)), running: false };
}

/** The socket folder of the live process that holds this data folder, if it serves one. */
async function runningServerSocket(dataDir: string): Promise<string | null> {
  if (!existsSync(dataDir)) return null;
  const real = realpathSync(dataDir);
  const lockPath = join(real, LOCK_FILE);
  // A server takes the lock before it listens: one that is starting gets a few seconds.
  for (let attempt = 0; attempt < 50; attempt++) {
    const holder = await readLockHolder(lockPath);
    if (holder === undefined || !isLockHeld(holder, lockPath)) return null;
    let socketDir: string | undefined;
    try {
      socketDir = readFileSync(join(real, SOCKET_NOTE), "utf8").trim();
    } catch (error) {
      if (!isErrno(error, "ENOENT")) throw error;
    }
    if (socketDir && existsSync(join(socketDir, `.s.PGSQL.${SOCKET_PORT}`))) return socketDir;
    await sleep(100);
  }
  // Held, and still no socket: startEmbeddedDatabase says who holds it.
  return null;
}

/** Folders 0700 and files 0600, all the way down: only this user may read or change them. */
export function restrictToOwner(path: string): void {
  const stat = statSync(path);
  if (stat.isDirectory()) {
    if ((stat.mode & 0o777) !== 0o700) chmodSync(path, 0o700);
    for (const entry of readdirSync(path)) restrictToOwner(join(path, entry));
  } else if (stat.isFile() && (stat.mode & 0o777) !== 0o600) {
    chmodSync(path, 0o600);
  }
}

// PostgreSQL guards its data folder with postmaster.pid; PGlite does not, and two processes
// writing the same files corrupt them. Returns a synchronous release, also run at exit.
async function lockDataDir(dataDir: string): Promise<() => void> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // The real path, so that two spellings of one folder (a symlink) still meet at one lock.
  const lockPath = join(realpathSync(dataDir), LOCK_FILE);
  const ownContent = `${process.pid}\n`;

  // Bounded, because another process may take over the same stale lock between our removing
  // it and creating ours; on the next round its live pid ends the loop with the usual error.
  for (let attempt = 1; ; attempt++) {
    try {
      writeFileSync(lockPath, ownContent, { flag: "wx", mode: 0o600 });
      break;
    } catch (error) {
      if (!isErrno(error, "EEXIST")) throw error;
    }
    const holder = await readLockHolder(lockPath);
    if (holder !== undefined && isLockHeld(holder, lockPath)) {
      throw new Error(
        `The embedded database in ${dataDir} is already in use by process ${holder}. ` +
          `Stop that Keyward first, or set DATABASE_URL to use PostgreSQL. ` +
          `(If no Keyward is running, delete ${lockPath}.)`,
      );
    }
    if (attempt === 3)
      throw new Error(`Could not lock the embedded database in ${dataDir}: ${lockPath} keeps reappearing.`);
    rmSync(lockPath, { force: true });
  }

  heldLocks.add(lockPath);
  const release = (): void => {
    process.off("exit", release);
    heldLocks.delete(lockPath);
    // Leave the file alone if it is no longer ours (deleted by hand and taken by another process).
    try {
      if (readFileSync(lockPath, "utf8") === ownContent) rmSync(lockPath, { force: true });
    } catch (error) {
      if (!isErrno(error, "ENOENT")) throw error;
    }
  };
  // 'exit' runs on normal exit and process.exit(); after SIGKILL or an unhandled signal the
  // lock stays behind with a dead pid, and the next start takes it over.
  process.on("exit", release);
  return release;
}

// undefined when the lock vanished or never got a pid; either way nobody holds it.
async function readLockHolder(lockPath: string): Promise<number | undefined> {
  // The `wx` create and the pid write are two steps, so an empty file may be a lock being taken
  // right now: give its creator a moment before calling it abandoned.
  for (let attempt = 0; attempt < 20; attempt++) {
    let text: string;
    try {
      text = readFileSync(lockPath, "utf8");
    } catch (error) {
      if (isErrno(error, "ENOENT")) return undefined;
      throw error;
    }
    const pid = Number.parseInt(text, 10);
    if (pid > 0) return pid;
    await sleep(50);
  }
  return undefined;
}

function isLockHeld(pid: number, lockPath: string): boolean {
  // Our own pid is alive by definition; only our own records tell whether this run holds the lock.
  return pid === process.pid ? heldLocks.has(lockPath) : isProcessAlive(pid);
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return isErrno(error, "EPERM");
  }
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
