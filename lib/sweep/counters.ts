// What a sweep run counts and the steps it times, declared once. The run's summary, its heartbeat
// (the SweepRun row's columns of the same names, prisma/schema.prisma), the admin list and its
// table, and the API's schemas (lib/openapi/responses.ts) are all made from these two constants.
// No "server-only": the admin table (a client component) reads its columns from here.

/** The steps of a run, in order (a run that stops at its time budget leaves the rest: `left`). */
export const SWEEP_STEPS = [
  "expire",
  "grace",
  "idle",
  "remind",
  "idleRemind",
  "notices",
  "purge",
  "purgeUsage",
  "queue",
  "deliver",
] as const;
export type SweepStep = (typeof SWEEP_STEPS)[number];

interface Counter {
  /** What it counts (the API's description). */
  about: string;
  /** Its column in the admin's table of sweeps; null: not shown there. */
  header: string | null;
}

/** A run's counters, in the order shown; each is also an Int column of SweepRun. */
export const SWEEP_COUNTERS = {
  expired: { about: "Keys blacklisted EXPIRED (their expiry passed)", header: "Expired" },
  rotated: { about: "Rotated keys blacklisted ROTATED (their grace period ended)", header: "Rotated" },
  remindersRecorded: { about: "Expiry reminders recorded", header: "Reminders" },
  idled: { about: "Keys blacklisted IDLE (unused for KEY_IDLE_DAYS)", header: "Idle" },
  idleReminders: {
    about: "Idle reminders recorded (a key entering a reminder window before it would be disabled)",
    header: "Idle reminders",
  },
  purged: { about: "Keys deleted, blacklisted longer than RETENTION_DAYS", header: "Purged" },
  usagePurged: { about: "Hourly usage counters deleted past USAGE_RETENTION_DAYS", header: "Usage rows purged" },
  noticesRecorded: { about: "In-app notices written for owners (reminders, expiry, grace ended)", header: null },
  emailsQueued: { about: "Emails gathered from pending notices (one per owner, kind and window)", header: null },
  emailsSent: {
    about: "Emails delivered by SMTP, or kept in the outbox when no SMTP server is configured",
    header: "Emails",
  },
  emailsFailed: { about: "Emails that could not be sent this time", header: "Mail failures" },
  batches: { about: "Batch statements run", header: "Batches" },
} as const satisfies Record<string, Counter>;

export type SweepCounter = keyof typeof SWEEP_COUNTERS;
export type SweepCounts = Record<SweepCounter, number>;
export const COUNTER_NAMES = Object.keys(SWEEP_COUNTERS) as SweepCounter[];

/** Every counter at 0: a run's start. */
export const zeroCounts = (): SweepCounts => Object.fromEntries(COUNTER_NAMES.map((name) => [name, 0])) as SweepCounts;

/** Every step at 0 ms. */
export const zeroStepTimes = (): Record<SweepStep, number> =>
  Object.fromEntries(SWEEP_STEPS.map((step) => [step, 0])) as Record<SweepStep, number>;

/** The counters added up over several runs (a backlog's). */
export function sumCounts(runs: readonly SweepCounts[]): SweepCounts {
  const total = zeroCounts();
  for (const run of runs) for (const name of COUNTER_NAMES) total[name] += run[name];
  return total;
}
