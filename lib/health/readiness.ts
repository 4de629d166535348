import "server-only";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { prisma } from "@/lib/db/client";
import { keyCacheListening } from "@/lib/keys/check/key-store";
import { redisAnswers } from "@/lib/limits/rate-counter";

// Readiness: whether this instance can serve verifications correctly now, for a load balancer
// or an orchestrator to route traffic by (GET /api/ready). Liveness is /api/health's: a process
// that serves at all. Each part is checked for real, within a short time, and named when it fails.

export const READINESS_PARTS = ["database", "migrations", "listen", "redis"] as const;
export type ReadinessPart = (typeof READINESS_PARTS)[number];

export interface PartCheck {
  ok: boolean;
  /** Why it failed, or why it was not checked (a part this configuration does not use). */
  detail?: string;
}

export interface Readiness {
  ready: boolean;
  /** The parts that failed, in the order above. */
  failing: ReadinessPart[];
  checks: Record<ReadinessPart, PartCheck>;
}

/** Each check's time: a probe that waits longer than its caller's timeout tells nothing. */
const CHECK_TIMEOUT_MS = 2000;

/** The migrations this build ships (prisma/migrations beside the app, read once: it does not change while running). */
let shipped: Promise<string[]> | null = null;
function shippedMigrations(): Promise<string[]> {
  shipped ??= readdir(path.join(process.cwd(), "prisma", "migrations"), { withFileTypes: true }).then((entries) =>
    entries.filter((e) => e.isDirectory()).map((e) => e.name),
  );
  // A failed read is tried again at the next check.
  shipped.catch(() => (shipped = null));
  return shipped;
}

function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The first line that says something (Prisma's messages start with an empty one), short. */
function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message
    .split("\n")
    .map((l) => l.trim())
    .find(Boolean);
  return (line ?? (error instanceof Error ? error.name : "failed")).slice(0, 200);
}

async function database(): Promise<PartCheck> {
  try {
    await within(prisma.$queryRaw`SELECT 1`, "the database");
    return { ok: true };
  } catch (error) {
    return { ok: false, detail: reason(error) };
  }
}

async function migrations(): Promise<PartCheck> {
  try {
    const [expected, applied] = await Promise.all([
      shippedMigrations(),
      within(
        prisma.$queryRaw<
          { name: string }[]
        >`SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
        "the database",
      ),
    ]);
    const done = new Set(applied.map((row) => row.name));
    const missing = expected.filter((name) => !done.has(name)).sort();
    if (missing.length === 0) return { ok: true };
    return {
      ok: false,
      detail: `${missing.length} migration(s) not applied (first: ${missing[0]}); npm start applies them, or npm run db:migrate`,
    };
  } catch (error) {
    return { ok: false, detail: reason(error) };
  }
}

function listen(): PartCheck {
  const listening = keyCacheListening();
  if (listening === null) return { ok: true, detail: "not used (KEY_CACHE_SYNC=local, or the key cache is off)" };
  return listening
    ? { ok: true }
    : {
        ok: false,
        detail:
          "the LISTEN connection for key cache invalidation is down (reconnecting); verification bypasses the cache meanwhile",
      };
}

async function redis(): Promise<PartCheck> {
  const answers = await redisAnswers(CHECK_TIMEOUT_MS);
  if (answers === null) return { ok: true, detail: "not used (no REDIS_URL)" };
  return answers
    ? { ok: true }
    : { ok: false, detail: "Redis does not answer (rate limits are counted in process meanwhile)" };
}

export async function checkReadiness(): Promise<Readiness> {
  const [db, migrated, redisCheck] = await Promise.all([database(), migrations(), redis()]);
  const checks: Record<ReadinessPart, PartCheck> = {
    database: db,
    migrations: migrated,
    listen: listen(),
    redis: redisCheck,
  };
  const failing = READINESS_PARTS.filter((part) => !checks[part].ok);
  return { ready: failing.length === 0, failing, checks };
}
