// The audit export over real HTTP: admins only, filters by time, actor and action, CSV that a
// spreadsheet cannot be tricked with, JSON Lines, and every event exactly once across batches.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeTestDb, seedUser, testDb } from "@/test-support/db";
import { signIn, type Session } from "@/test-support/http";

let admin: Session;
let user: Session;
const marker = `export-${randomUUID().slice(0, 8)}`;
const EVENTS = 4500; // more than two export batches

beforeAll(async () => {
  const db = testDb();
  const [a, u] = await Promise.all([seedUser(db, { role: "ADMIN" }), seedUser(db)]);
  [admin, user] = await Promise.all([signIn(a.email, a.password), signIn(u.email, u.password)]);
  // Many events in the same millisecond too, so the (at, id) cursor must break ties.
  await db.$executeRawUnsafe(
    `INSERT INTO "AuditEvent" (id, at, "actorLabel", action, ip, detail)
     SELECT gen_random_uuid()::text, timestamptz '2020-03-01T00:00:00Z' + (i / 10) * interval '1 minute', $1 || '-' || (i % 3), 'key.issued', '127.0.0.1', jsonb_build_object('i', i)
     FROM generate_series(1, $2) i`,
    marker,
    EVENTS,
  );
  await db.auditEvent.create({
    data: {
      at: new Date("2020-03-02T12:00:00Z"),
      actorLabel: `=HYPERLINK("http://evil")-${marker}`,
      action: "key.revoked",
      detail: { note: 'a "quoted", line\nbreak' },
    },
  });
});
afterAll(closeTestDb);

const exportOf = (query: string, session = admin) => session.request("GET", `/api/v1/admin/audit/export?${query}`);

describe("GET /api/v1/admin/audit/export", () => {
  it("streams every matching event once, oldest first, as JSON Lines", async () => {
    const response = await exportOf(`format=jsonl&actor=${marker}&action=key.issued`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/jsonl/);
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="keyward-audit-\d{8}T\d{6}Z\.jsonl"$/,
    );
    const events = (await response.text())
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as { id: string; at: string; detail: { i: number } });
    expect(events).toHaveLength(EVENTS);
    expect(new Set(events.map((e) => e.id)).size).toBe(EVENTS);
    expect(events.map((e) => e.at)).toEqual([...events.map((e) => e.at)].sort());
  });

  it("filters by time range (a date-only `to` includes its day) and actor", async () => {
    const day = await exportOf(`format=jsonl&actor=${marker}&from=2020-03-01T01:00:00Z&to=2020-03-01T02:00:00Z`);
    expect((await day.text()).trimEnd().split("\n")).toHaveLength(600);
    const inclusive = await exportOf(`format=jsonl&actor=${marker}&from=2020-03-02&to=2020-03-02`);
    const lines = (await inclusive.text()).trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!).action).toBe("key.revoked");
    const oneActor = await exportOf(`format=jsonl&actor=${marker}-1&action=key.issued`);
    expect((await oneActor.text()).trimEnd().split("\n")).toHaveLength(EVENTS / 3);
    // The audit page's form sends date fields left empty as `from=&to=`: no bounds, not a 422.
    const unbounded = await exportOf(`format=jsonl&actor=${marker}-1&action=key.issued&from=&to=`);
    expect(unbounded.status).toBe(200);
    expect((await unbounded.text()).trimEnd().split("\n")).toHaveLength(EVENTS / 3);
  });

  it("writes CSV a spreadsheet shows as text", async () => {
    const response = await exportOf(`format=csv&actor=${marker}&action=key.revoked`);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    const text = await response.text();
    expect(text.startsWith("id,at,actorId,actorLabel,action,keyId,teamId,ip,detail,actorTokenId\r\n")).toBe(true);
    expect(text).toContain(`,"'=HYPERLINK(""http://evil"")-${marker}",key.revoked,`);
    expect(text).toContain(`"{""note"":""a \\""quoted\\"", line\\nbreak""}"`);
  });

  it("is for admins only, refuses a bad range, and is itself recorded", async () => {
    expect((await exportOf("format=csv", user)).status).toBe(403);
    expect((await exportOf("from=2021-01-01&to=2020-01-01")).status).toBe(422);
    expect((await exportOf("format=xlsx")).status).toBe(422);
    expect(await testDb().auditEvent.count({ where: { action: "audit.exported" } })).toBeGreaterThanOrEqual(4);
  });
});
