// An upgrade from the oldest schema Keyward shipped (the first migration, 20261129044116_init) to
// today's, the way an operator upgrades: the old database holds data written in its own schema,
// then `npm start` of today's code applies every migration since and serves. Every row must come
// through, and every key must answer as it did: the valid one valid, the expired one expired, the
// revoked one revoked, the rotated one in its grace; the old account signs in with its password.
// The rows are written as the first release stored them (the SQL below: its table layout, its
// scrypt password format, keys stored as the SHA-256 of the plaintext), not through today's code.
import { createHash, randomBytes, randomUUID, scryptSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { generateKey } from "@/lib/keys/format";
import { provisionTestDatabase } from "@/scripts/lib/test-database";
import { signIn } from "@/test-support/http";
import { startKeyward, stopKeyward } from "@/test-support/npm-start";
import { readMigrationsList } from "./migrations-folder";
import { applyMigrations } from "./engine";

const FIRST_RELEASE = ["20261129044116_init"];

/** The first release's password format: scrypt, N = 2^15, r = 8, p = 1, 32 bytes. */
function firstReleasePasswordHash(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password.normalize("NFKC"), salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  return ["scrypt", 15, 8, 1, salt.toString("base64"), hash.toString("base64")].join("$");
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

async function verify(url: string, key: string) {
  const response = await fetch(`${url}/api/v1/keys/verify`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ key }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("upgrading from the first release's schema", () => {
  it("npm start on a database of the first release migrates it to today's schema; its data reads and its keys answer as before", async () => {
    const all = (await readMigrationsList()).migrationDirectories.map((d) => d.path);
    expect(all[0]).toBe(FIRST_RELEASE[0]);
    expect(all.length).toBeGreaterThan(FIRST_RELEASE.length);

    const database = await provisionTestDatabase();
    const dataDir = mkdtempSync(join(tmpdir(), "keyward-upgrade-"));
    try {
      // The first release's schema, through the same engine and history table npm start uses.
      await applyMigrations(database.url, { only: FIRST_RELEASE });
      const db = new pg.Client({ connectionString: database.url });
      await db.connect();
      const userId = randomUUID();
      const email = `old-${randomUUID().slice(0, 8)}@example.test`;
      const password = "a password from the first release";
      const day = 86_400_000;
      const keys = {
        valid: { id: randomUUID(), ...generateKey("kw"), expiresAt: new Date(Date.now() + 30 * day) },
        expired: { id: randomUUID(), ...generateKey("kw"), expiresAt: new Date(Date.now() - day) },
        revoked: { id: randomUUID(), ...generateKey("kw"), expiresAt: new Date(Date.now() + 30 * day) },
        replacement: { id: randomUUID(), ...generateKey("kw"), expiresAt: new Date(Date.now() + 60 * day) },
        inGrace: { id: randomUUID(), ...generateKey("kw"), expiresAt: new Date(Date.now() + 30 * day) },
      };
      try {
        await db.query(
          `INSERT INTO "User" (id, email, name, "passwordHash", role) VALUES ($1, $2, 'Old Timer', $3, 'USER')`,
          [userId, email, firstReleasePasswordHash(password)],
        );
        for (const [name, key] of Object.entries(keys)) {
          await db.query(
            `INSERT INTO "ApiKey" (id, "userId", name, prefix, last4, hash, scopes, "expiresAt", "usageCount", "lastUsedAt") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 41, now())`,
            [
              key.id,
              userId,
              name,
              key.plaintext.slice(0, 7),
              key.plaintext.slice(-4),
              sha256(key.plaintext),
              ["read", "write"],
              key.expiresAt,
            ],
          );
        }
        await db.query(
          `UPDATE "ApiKey" SET "replacedById" = $1, "graceEndsAt" = now() + interval '1 day' WHERE id = $2`,
          [keys.replacement.id, keys.inGrace.id],
        );
        await db.query(
          `INSERT INTO "BlacklistedKey" ("keyId", reason, "actorId", "actorLabel", note) VALUES ($1, 'REVOKED', $2, $3, 'no longer needed')`,
          [keys.revoked.id, userId, email],
        );
        await db.query(
          `INSERT INTO "AuditEvent" (id, "actorId", "actorLabel", action, "keyId", ip, detail) SELECT gen_random_uuid()::text, $1, $2, 'key.issued', id, '203.0.113.7', jsonb_build_object('name', name) FROM "ApiKey"`,
          [userId, email],
        );
        await db.query(
          `INSERT INTO "SweepRun" (id, "finishedAt", status, trigger, expired, batches) VALUES ($1, now(), 'SUCCEEDED', 'cron', 3, 1)`,
          [randomUUID()],
        );
      } finally {
        await db.end();
      }

      // The upgrade: today's npm start on that database.
      const app = await startKeyward(dataDir, {
        DATABASE_URL: database.url,
        SEED_DEMO: "false",
        KEY_CACHE_SYNC: "local",
      });
      try {
        expect(app.log()).toContain(`applied migrations: ${all.slice(1).join(", ")}`);
        const valid = await verify(app.url, keys.valid.plaintext);
        expect(valid).toMatchObject({
          status: 200,
          body: { valid: true, code: "VALID", keyId: keys.valid.id, scopes: ["read", "write"] },
        });
        expect(await verify(app.url, keys.expired.plaintext)).toMatchObject({
          status: 200,
          body: { code: "EXPIRED", keyId: keys.expired.id },
        });
        expect(await verify(app.url, keys.revoked.plaintext)).toMatchObject({
          status: 200,
          body: { code: "REVOKED", keyId: keys.revoked.id, reason: "REVOKED" },
        });
        const grace = await verify(app.url, keys.inGrace.plaintext);
        expect(grace).toMatchObject({ status: 200, body: { code: "VALID", keyId: keys.inGrace.id } });
        expect(grace.body.graceEndsAt).toEqual(expect.any(String));
        expect(await verify(app.url, keys.replacement.plaintext)).toMatchObject({
          body: { code: "VALID", keyId: keys.replacement.id },
        });

        // The old account signs in with its password and sees its keys, their history and usage.
        const session = await signIn(email, password, app.url);
        const listed = await session.request("GET", "/api/v1/keys?tab=all&pageSize=50");
        expect(listed.status).toBe(200);
        const items = ((await listed.json()) as { items: { id: string; name: string }[] }).items;
        expect(items.map((k) => k.id).sort()).toEqual(
          Object.values(keys)
            .map((k) => k.id)
            .sort(),
        );
        const detail = await session.request("GET", `/api/v1/keys/${keys.valid.id}`);
        expect(detail.status).toBe(200);
        expect(await detail.json()).toMatchObject({ id: keys.valid.id, name: "valid" });
      } finally {
        await stopKeyward(app);
      }
      const after = new pg.Client({ connectionString: database.url });
      await after.connect();
      try {
        const count = async (sql: string) => Number((await after.query<{ n: string }>(sql)).rows[0]!.n);
        expect(await count(`SELECT count(*) AS n FROM "ApiKey"`)).toBe(5);
        expect(
          await count(`SELECT count(*) AS n FROM "AuditEvent" WHERE action = 'key.issued' AND ip = '203.0.113.7'`),
        ).toBe(5);
        expect(await count(`SELECT count(*) AS n FROM "SweepRun" WHERE status = 'SUCCEEDED'`)).toBe(1);
        // 41 uses from the first release, and the verifications above flushed on the stop.
        expect(await count(`SELECT "usageCount" AS n FROM "ApiKey" WHERE id = '${keys.valid.id}'`)).toBe(42);
        expect(await count(`SELECT count(*) AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL`)).toBe(
          all.length,
        );
      } finally {
        await after.end();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      await database.drop();
    }
  }, 300_000);
});
