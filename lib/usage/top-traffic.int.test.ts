// The admin usage page's top lists read only the heads of each hour's keys: they must still be
// exactly what summing every key's counters would give, order and ties included, whatever the
// shape of the traffic (a few heavy keys, every key alike, noise, fewer keys than the list).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeTestDb, seedKey, seedUser, testDb } from "@/test-support/db";
import { addHourlyCounts, type HourlyCount } from "./hourly-counts";
import { topTraffic } from "./top-traffic";
import { HOUR_MS, type UsageOutcome } from "./usage-outcomes";

afterAll(closeTestDb);

const KEYS = 40;
const HOURS = 6;
let keyIds: string[];

beforeAll(async () => {
  const db = testDb();
  const owner = await seedUser(db);
  keyIds = [];
  for (let i = 0; i < KEYS; i++) keyIds.push((await seedKey(db, { userId: owner.id })).id);
});

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number) {
  let x = seed;
  return (below: number) => {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    return x % below;
  };
}

/** Hours no other test writes usage in (far ahead), so the site-wide sums of the window are ours. */
function futureWindow(): number {
  return (Math.floor(Date.now() / HOUR_MS) + 24 * (1 + Math.floor(Math.random() * 1_000_000))) * HOUR_MS;
}

type Shape = (key: number, hour: number) => Partial<Record<UsageOutcome, number>>;

const shapes: Record<string, Shape> = {
  // A few keys carry most of it; refusals come from other keys than the heaviest ones.
  "a few heavy keys": (k, h) => ({
    VALID: Math.floor(5000 / (k + 1)) + h,
    ...(k % 7 === 3 ? { RATE_LIMITED: 40 + k } : {}),
  }),
  // Every key the same every hour, a tenth refused the same too: all ties, as the bench's data is.
  "every key alike": (k) => ({ VALID: 64, ...(k % 10 === 0 ? { RATE_LIMITED: 63 } : {}) }),
  // Noise: any key, any hour, any outcome, some not at all.
  noise: (() => {
    const next = random(7);
    const table = new Map<string, Partial<Record<UsageOutcome, number>>>();
    return (k: number, h: number) => {
      const line = `${k} ${h}`;
      if (!table.has(line)) {
        table.set(line, {
          VALID: next(3) === 0 ? 0 : next(30),
          EXPIRED: next(4) === 0 ? next(25) : 0,
          REVOKED: next(6) === 0 ? next(40) : 0,
        });
      }
      return table.get(line)!;
    };
  })(),
  // Keys used in one hour each, more than the next: each list holds one key.
  "one hour each": (k, h) => (k % HOURS === h ? { VALID: 10 + k, IP_NOT_ALLOWED: k % 2 } : {}),
  // Fewer keys with traffic than the list is long.
  "three keys": (k, h) => (k < 3 ? { VALID: 3 - k + h, REVOKED: k } : {}),
};

describe("the top lists read from the heads of each hour", () => {
  for (const [name, shape] of Object.entries(shapes)) {
    it(`are exact: ${name}`, async () => {
      const start = futureWindow();
      const rows: HourlyCount[] = [];
      keyIds.forEach((keyId, k) => {
        for (let h = 0; h < HOURS; h++) {
          for (const [outcome, count] of Object.entries(shape(k, h)) as [UsageOutcome, number][]) {
            if (!count) continue;
            rows.push({ keyId, hour: start + h * HOUR_MS, outcome, count });
          }
        }
      });
      expect(rows.length).toBeGreaterThan(0);
      await addHourlyCounts(testDb(), rows);

      const ranking = (sums: Map<string, number>, top: number) =>
        [...sums]
          .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
          .slice(0, top)
          .map(([keyId, n]) => ({ keyId, n }));
      for (const top of [1, 3, 10, 50]) {
        // The whole window, and a part of it (the lists then hold only its hours).
        for (const [from, to] of [
          [start, start + HOURS * HOUR_MS],
          [start + 2 * HOUR_MS, start + 4 * HOUR_MS],
        ] as const) {
          const inWindow = (by: "answers" | "refused") => {
            const sums = new Map<string, number>();
            for (const r of rows) {
              if (r.hour < from || r.hour >= to || (by === "refused" && r.outcome === "VALID")) continue;
              sums.set(r.keyId, (sums.get(r.keyId) ?? 0) + r.count);
            }
            return sums;
          };
          const window = { from: new Date(from), to: new Date(to) };
          expect(await topTraffic(window, top, "answers"), `${name}, top ${top}, by answers`).toEqual(
            ranking(inWindow("answers"), top),
          );
          expect(await topTraffic(window, top, "refused"), `${name}, top ${top}, by refusals`).toEqual(
            ranking(inWindow("refused"), top),
          );
        }
      }
    });
  }

  it("is empty for a window without traffic", async () => {
    const start = futureWindow();
    const window = { from: new Date(start), to: new Date(start + 48 * HOUR_MS) };
    expect(await topTraffic(window, 10, "answers")).toEqual([]);
    expect(await topTraffic(window, 10, "refused")).toEqual([]);
  });
});
