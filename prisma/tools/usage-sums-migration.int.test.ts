// The migration that brought in the usage sums (UsageSumHour, KeyUsageHourTotal) on a database
// that already holds usage counters: it must sum them itself, site-wide, per owner (a person's keys
// and a team's) and per key and hour, so the admin usage page shows the history from the first
// request after the upgrade. The counters are written as the release before it stored them (plain
// SQL on its schema), not through today's code.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { provisionTestDatabase } from "@/scripts/lib/test-database";
import { applyMigrations } from "./engine";
import { readMigrationsList } from "./migrations-folder";

const SUMS_MIGRATION = "20261207043936_usage_sums";
const HOUR = 3_600_000;

describe("the usage sums migration", () => {
  it("sums the counters already written: site-wide, per owner, per key and hour", async () => {
    const all = (await readMigrationsList()).migrationDirectories.map((d) => d.path);
    const before = all.slice(0, all.indexOf(SUMS_MIGRATION));
    expect(before.length).toBeGreaterThan(0);

    const database = await provisionTestDatabase();
    try {
      await applyMigrations(database.url, { only: before });
      const db = new pg.Client({ connectionString: database.url });
      await db.connect();
      try {
        const [person, teamOwner] = [randomUUID(), randomUUID()];
        for (const id of [person, teamOwner]) {
          await db.query(`INSERT INTO "User" (id, email, name, role) VALUES ($1, $2, 'Old', 'USER')`, [
            id,
            `${id}@example.test`,
          ]);
        }
        const team = randomUUID();
        await db.query(`INSERT INTO "Team" (id, name, slug) VALUES ($1, 'Old team', $2)`, [team, `old-${team}`]);
        const keys = { a: randomUUID(), b: randomUUID(), teamKey: randomUUID() };
        for (const [name, id] of Object.entries(keys)) {
          await db.query(
            `INSERT INTO "ApiKey" (id, "userId", "teamId", "issuedById", name, prefix, last4, hash, scopes)
             VALUES ($1, $2, $3, $4, $5, 'kw_old', 'abcd', $6, ARRAY['read'])`,
            [
              id,
              name === "teamKey" ? null : person,
              name === "teamKey" ? team : null,
              name === "teamKey" ? teamOwner : person,
              name,
              randomUUID(),
            ],
          );
        }
        const h0 = Math.floor(Date.now() / HOUR) * HOUR - 10 * HOUR;
        const h1 = h0 + HOUR;
        const counters: [string, number, string, number][] = [
          [keys.a, h0, "VALID", 5],
          [keys.a, h0, "RATE_LIMITED", 2],
          [keys.a, h1, "VALID", 7],
          [keys.b, h0, "VALID", 11],
          [keys.b, h1, "REVOKED", 3],
          [keys.teamKey, h0, "VALID", 100],
          [keys.teamKey, h1, "IP_NOT_ALLOWED", 1],
        ];
        for (const [keyId, hour, outcome, count] of counters) {
          await db.query(`INSERT INTO "KeyUsageHour" ("keyId", hour, outcome, count) VALUES ($1, $2, $3, $4)`, [
            keyId,
            new Date(hour),
            outcome,
            count,
          ]);
        }

        const { applied } = await applyMigrations(database.url);
        expect(applied).toContain(SUMS_MIGRATION);

        const at = (ms: number) => new Date(ms).toISOString();
        const sums = await db.query<{ ownerId: string; hour: Date; outcome: string; count: string }>(
          `SELECT "ownerId", hour, outcome::text, count::text FROM "UsageSumHour"`,
        );
        expect(sums.rows.map((r) => `${r.ownerId} ${r.hour.toISOString()} ${r.outcome} ${r.count}`).sort()).toEqual(
          [
            ` ${at(h0)} VALID 116`,
            ` ${at(h0)} RATE_LIMITED 2`,
            ` ${at(h1)} VALID 7`,
            ` ${at(h1)} REVOKED 3`,
            ` ${at(h1)} IP_NOT_ALLOWED 1`,
            `${person} ${at(h0)} VALID 16`,
            `${person} ${at(h0)} RATE_LIMITED 2`,
            `${person} ${at(h1)} VALID 7`,
            `${person} ${at(h1)} REVOKED 3`,
            `${team} ${at(h0)} VALID 100`,
            `${team} ${at(h1)} IP_NOT_ALLOWED 1`,
          ].sort(),
        );
        const totals = await db.query<{ keyId: string; hour: Date; answers: string; refused: string }>(
          `SELECT "keyId", hour, answers::text, refused::text FROM "KeyUsageHourTotal"`,
        );
        expect(totals.rows.map((r) => `${r.keyId} ${r.hour.toISOString()} ${r.answers} ${r.refused}`).sort()).toEqual(
          [
            `${keys.a} ${at(h0)} 7 2`,
            `${keys.a} ${at(h1)} 7 0`,
            `${keys.b} ${at(h0)} 11 0`,
            `${keys.b} ${at(h1)} 3 3`,
            `${keys.teamKey} ${at(h0)} 100 0`,
            `${keys.teamKey} ${at(h1)} 1 1`,
          ].sort(),
        );
      } finally {
        await db.end();
      }
    } finally {
      await database.drop();
    }
  });
});
