// A sweep killed for real (SIGKILL, in a child process) mid-run: once its heartbeat is older than
// the threshold, the admin API, the admin page and the next sweep call it interrupted instead of
// running, and the next sweep finishes its work with nothing lost or doubled. And a sweep that is
// alive keeps its heartbeat fresh, also while a slow SMTP server holds its emails.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { createMailer } from "@/lib/notify/mailer";
import { closeTestDb, seedKey, seedUser, testDb } from "@/test-support/db";
import { signIn, sleep, type Session } from "@/test-support/http";
import { HEARTBEAT_TIMEOUT_MS } from "./heartbeat";
import { runSweep } from "./run-sweep";

const root = join(import.meta.dirname, "../..");
/** Long enough that the child is still sweeping when it is killed, with batches of 5. */
const KEYS = 5000;
/** How long the killed run has been silent when we look again: just past the threshold. */
const SILENT_MS = HEARTBEAT_TIMEOUT_MS + 30_000;
let admin: Session;

beforeAll(async () => {
  const user = await seedUser(testDb(), { role: "ADMIN" });
  admin = await signIn(user.email, user.password);
  await runSweep({ trigger: "test", mailer: createMailer(undefined, "x") }); // clear other files' backlog
});
afterAll(async () => {
  await closeTestDb();
  await prisma.$disconnect();
});

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** The run as the admin API shows it (walking the pages: other files' runs may be newer). */
async function apiRun(runId: string) {
  for (let page = 1; ; page++) {
    const response = await admin.request("GET", `/api/v1/admin/sweeps?pageSize=100&page=${page}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      items: { id: string; status: string; error: string | null; finishedAt: string | null }[];
      hasNext: boolean;
    };
    const run = body.items.find((item) => item.id === runId);
    if (run || !body.hasNext) return run;
  }
}

/** The run's row on /admin/sweeps, as server-rendered HTML (found by its unique trigger). */
async function pageRow(trigger: string): Promise<string> {
  for (let page = 1; page < 100; page++) {
    const response = await admin.request("GET", `/admin/sweeps?pageSize=100&page=${page}`);
    expect(response.status).toBe(200);
    const rows = (await response.text()).split("<tr").slice(2); // after the header row
    const row = rows.find((chunk) => chunk.includes(trigger));
    if (row) return row;
    if (rows.length < 100) break;
  }
  throw new Error(`no row for ${trigger} on /admin/sweeps`);
}

describe("a sweep killed mid-run", () => {
  it("is reported interrupted by the admin API, the admin page and the next sweep, which finishes its work", async () => {
    const db = testDb();
    const owner = await seedUser(db);
    await db.$executeRaw`
      INSERT INTO "ApiKey" (id, "userId", name, prefix, last4, hash, scopes, "createdAt", "expiresAt")
      SELECT gen_random_uuid()::text, ${owner.id}, 'killed-' || g, 'kw_kill', '0000', ${owner.id} || ':killed:' || g, ARRAY['read'],
             now() - interval '2 days', now() - interval '1 minute' - g * interval '1 millisecond'
      FROM generate_series(1, ${KEYS}) g`;
    const swept = () => db.blacklistedKey.count({ where: { key: { userId: owner.id } } });

    const trigger = `kill-test-${randomUUID().slice(0, 8)}`;
    // Node itself with tsx as a loader: the tsx CLI would run the sweep in a grandchild that
    // outlives a SIGKILL sent to the CLI.
    const child = spawn(
      process.execPath,
      ["--conditions=react-server", "--import", "tsx", "lib/sweep/run-sweep.child.ts", trigger, "5"],
      {
        cwd: root,
        env: process.env,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(child, "exit");
    try {
      // Its first heartbeat after a batch that blacklisted keys (the first batches may walk past
      // keys other files left blacklisted): killed mid-sweep, with some work done and recorded.
      const beaten = async () => ((await db.sweepRun.findFirst({ where: { trigger } }))?.expired ?? 0) > 0;
      await waitFor("the child's first batch", async () => child.exitCode !== null || (await beaten()));
    } finally {
      child.kill("SIGKILL");
    }
    const [, signal] = await exited;
    expect(signal, `the child finished before it was killed:\n${output}`).toBe("SIGKILL");

    const done = await swept();
    await sleep(500);
    expect(await swept(), "nothing sweeps on after the kill").toBe(done);
    const killed = await db.sweepRun.findFirstOrThrow({ where: { trigger } });
    expect(done).toBeGreaterThan(0);
    expect(done, "killed mid-sweep, not after it").toBeLessThan(KEYS);
    expect(killed.status).toBe("RUNNING");
    // It beat after each batch, with its counts so far.
    expect(killed.batches).toBeGreaterThanOrEqual(1);
    expect(killed.expired).toBeGreaterThanOrEqual(1);
    expect(killed.heartbeatAt.getTime()).toBeGreaterThan(killed.startedAt.getTime());
    // Killed a moment ago: it may still be working as far as anyone can tell.
    expect((await apiRun(killed.id))?.status).toBe("RUNNING");
    expect(await pageRow(trigger)).toContain("running");

    // …and now it has been silent for minutes.
    await db.$executeRaw`
      UPDATE "SweepRun" SET "startedAt" = "startedAt" - ${SILENT_MS} * interval '1 millisecond',
        "heartbeatAt" = "heartbeatAt" - ${SILENT_MS} * interval '1 millisecond'
      WHERE id = ${killed.id}`;
    const lastBeat = new Date(killed.heartbeatAt.getTime() - SILENT_MS);
    // Interrupted, ending at its last heartbeat.
    expect(await apiRun(killed.id)).toMatchObject({
      status: "INTERRUPTED",
      error: expect.stringContaining("Interrupted"),
      finishedAt: lastBeat.toISOString(),
    });
    const row = await pageRow(trigger);
    expect(row).toContain("interrupted");
    expect(row).not.toContain("running");

    const next = await runSweep({ trigger: "test", batchSize: 500, mailer: createMailer(undefined, "x") });
    expect(next.interruptedRuns).toBeGreaterThanOrEqual(1);
    expect(next.expired).toBe(KEYS - done);
    const marked = await db.sweepRun.findUniqueOrThrow({ where: { id: killed.id } });
    expect(marked).toMatchObject({
      status: "INTERRUPTED",
      error: expect.stringContaining("Interrupted"),
      finishedAt: lastBeat,
    });
    expect((await apiRun(killed.id))?.status).toBe("INTERRUPTED");

    // Nothing lost or doubled: every key blacklisted once, one notice each, one email listing all.
    expect(await swept()).toBe(KEYS);
    expect(await db.notification.count({ where: { userId: owner.id, kind: "EXPIRED" } })).toBe(KEYS);
    const emails = await db.emailMessage.findMany({
      where: { userId: owner.id },
      select: { kind: true, _count: { select: { notifications: true } } },
    });
    expect(emails).toEqual([{ kind: "EXPIRED", _count: { notifications: KEYS } }]);
  }, 120_000);

  it("the threshold is a few minutes, not an hour", () => {
    expect(HEARTBEAT_TIMEOUT_MS).toBeGreaterThanOrEqual(60_000);
    expect(HEARTBEAT_TIMEOUT_MS).toBeLessThanOrEqual(5 * 60_000);
  });
});

/** A real SMTP server that takes `delayMs` to accept each message, as a slow relay does. */
async function startSlowSmtp(delayMs: number) {
  const arrivals: { to: string; at: number }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      stream.resume();
      stream.on("end", () => {
        for (const rcpt of session.envelope.rcptTo) arrivals.push({ to: rcpt.address, at: Date.now() });
        setTimeout(callback, delayMs);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    arrivals,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("a sweep that is alive", () => {
  it("records a heartbeat per batch, and keeps it fresh while a slow SMTP server holds its emails", async () => {
    const db = testDb();
    const DELAY = 1200;
    const smtp = await startSlowSmtp(DELAY);
    try {
      // Twelve owners, one reminder each: twelve emails in one delivery batch, sent four at a
      // time, so three rounds of DELAY each.
      const owners = await Promise.all(Array.from({ length: 12 }, () => seedUser(db)));
      const addresses = new Set(owners.map((o) => o.email));
      for (const owner of owners)
        await seedKey(db, { userId: owner.id, expiresAt: new Date(Date.now() + 2 * 86_400_000) });

      const trigger = `alive-test-${randomUUID().slice(0, 8)}`;
      const sweeping = runSweep({
        trigger,
        batchSize: 5,
        mailer: createMailer(smtp.url, "Keyward <keyward@test.local>"),
      });
      let finished = false;
      void sweeping.finally(() => (finished = true)).catch(() => undefined);
      const seen: { heartbeatAt: Date; batches: number; status: string; arrived: number }[] = [];
      while (!finished) {
        const [run] = await db.$queryRaw<{ heartbeatAt: Date; batches: number; status: string }[]>`
          SELECT "heartbeatAt", batches, status::text FROM "SweepRun" WHERE trigger = ${trigger}`;
        const arrived = smtp.arrivals.filter((a) => addresses.has(a.to)).length;
        if (run) seen.push({ ...run, arrived });
        await sleep(50);
      }
      const summary = await sweeping;
      expect(summary.emailsSent).toBeGreaterThanOrEqual(owners.length);

      // Progress shows while it runs: the counts and the heartbeat move with the batches.
      const running = seen.filter((s) => s.status === "RUNNING");
      expect(running.some((s) => s.batches > 0)).toBe(true);
      // While the first round waited on the server (some, not all, emails arrived), a send
      // finished and the heartbeat moved past the moment the first email arrived.
      const firstArrival = Math.min(...smtp.arrivals.filter((a) => addresses.has(a.to)).map((a) => a.at));
      const midDelivery = running.filter((s) => s.arrived > 0 && s.arrived < owners.length);
      expect(midDelivery.some((s) => s.heartbeatAt.getTime() >= firstArrival + DELAY - 100)).toBe(true);
    } finally {
      await smtp.close();
    }
  }, 60_000);
});
