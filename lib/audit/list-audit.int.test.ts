// The audit log's filters and paging, in-process against the test database.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { closeTestDb, testDb } from "@/test-support/db";
import { listAudit } from "./list-audit";

// Labels unique to this run keep other tests' events out of every assertion.
const run = randomUUID().slice(0, 8);
const alice = `alice-${run}@example.test`;
const bob = `bob-${run}@example.test`;
const keyA = randomUUID();
const keyB = randomUUID();

beforeAll(async () => {
  const base = Date.now() - 60_000;
  const events = [
    { actorLabel: alice, action: "key.issued", keyId: keyA },
    { actorLabel: alice, action: "key.blacklisted", keyId: keyA, detail: { reason: "LEAKED" } },
    { actorLabel: bob, action: "key.issued", keyId: keyB },
    { actorLabel: bob, action: "key.revoked", keyId: keyB },
    { actorLabel: bob, action: "key.blacklisted", keyId: keyB, detail: { reason: "REVOKED" } },
  ];
  await testDb().auditEvent.createMany({ data: events.map((e, i) => ({ ...e, at: new Date(base + i * 1000) })) });
});
afterAll(async () => {
  await closeTestDb();
  await prisma.$disconnect();
});

describe("listAudit", () => {
  it("filters by actor (contained, any case), action and key, newest first", async () => {
    const byAlice = await listAudit({ actor: `ALICE-${run}` });
    expect(byAlice.items.map((e) => e.action)).toEqual(["key.blacklisted", "key.issued"]);

    const blacklisted = await listAudit({ actor: run, action: "key.blacklisted" });
    expect(blacklisted.items.map((e) => [e.actorLabel, e.detail])).toEqual([
      [bob, { reason: "REVOKED" }],
      [alice, { reason: "LEAKED" }],
    ]);

    const ofKeyB = await listAudit({ key: keyB });
    expect(ofKeyB.items.map((e) => e.action)).toEqual(["key.blacklisted", "key.revoked", "key.issued"]);
    expect(ofKeyB.items[0]?.at).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it("pages with one extra row instead of a count", async () => {
    const first = await listAudit({ actor: run, pageSize: 2 });
    expect(first).toMatchObject({ page: 1, pageSize: 2, total: null, hasNext: true });
    const last = await listAudit({ actor: run, pageSize: 2, page: 3 });
    expect(last.items).toHaveLength(1);
    expect(last.hasNext).toBe(false);
    const all = [first, await listAudit({ actor: run, pageSize: 2, page: 2 }), last].flatMap((p) =>
      p.items.map((e) => e.id),
    );
    expect(new Set(all).size).toBe(5);
  });

  it("rejects an unknown action", async () => {
    await expect(listAudit({ action: "key.exploded" as never })).rejects.toThrow();
  });
});
