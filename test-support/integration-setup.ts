// Runs around every integration test file (vitest.config.ts, setupFiles). Every file's requests
// come from the loopback address, and the run's deliberate failures (wrong passwords, codes,
// passkeys) would add up across files to the per-client sign-in throttle's delays, failing a
// later file's honest sign-in: each test starts with the loopback client's count forgotten.
// Accounts keep their own counts, and the throttle tests count clients of their own (behind the
// locked-down server's trusted proxy), so nothing they test is erased.
import { afterAll, beforeEach } from "vitest";
import { closeTestDb, testDb } from "./db";

const LOOPBACK_CLIENTS = ["client:127.0.0.1", "client:0:0:0:0::/64"];

beforeEach(async () => {
  if (!process.env.DATABASE_URL) return;
  await testDb().signInThrottle.deleteMany({ where: { key: { in: LOOPBACK_CLIENTS } } });
});
afterAll(closeTestDb);
