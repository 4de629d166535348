// Without SMTP (the quick start), a reminder lands in the owner's notification centre and in
// the admin outbox, over real HTTP against the app server (which has no SMTP_URL).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeTestDb, seedKey, seedUser, testDb } from "@/test-support/db";
import { signIn, sweep, type Session } from "@/test-support/http";

let owner: Awaited<ReturnType<typeof seedUser>>;
let ownerSession: Session;
let adminSession: Session;

beforeAll(async () => {
  const db = testDb();
  owner = await seedUser(db);
  const admin = await seedUser(db, { role: "ADMIN" });
  [ownerSession, adminSession] = await Promise.all([
    signIn(owner.email, owner.password),
    signIn(admin.email, admin.password),
  ]);
});
afterAll(closeTestDb);

describe("outbox mode", () => {
  it("shows the reminder in the notification centre and the admin outbox; mark read works", async () => {
    const key = await seedKey(testDb(), {
      userId: owner.id,
      name: "outbox-key",
      expiresAt: new Date(Date.now() + 2 * 86_400_000),
    });
    const result = await sweep();
    expect(result.status).toBe(200);
    expect(Number(result.body.emailsSent)).toBeGreaterThanOrEqual(1);

    const notices = (await (await ownerSession.request("GET", "/api/v1/notifications")).json()) as {
      items: { id: string; kind: string; keyId: string; body: string; read: boolean; email: string }[];
    };
    const notice = notices.items.find((n) => n.keyId === key.id);
    expect(notice).toMatchObject({ kind: "REMINDER", read: false, email: "queued" });
    expect(notice?.body).toContain("“outbox-key”");

    const outbox = (await (
      await adminSession.request("GET", `/api/v1/admin/outbox?to=${encodeURIComponent(owner.email)}`)
    ).json()) as {
      items: { to: string; status: string; transport: string; subject: string; text: string }[];
    };
    expect(outbox.items).toHaveLength(1);
    expect(outbox.items[0]).toMatchObject({
      to: owner.email,
      status: "STORED",
      transport: "outbox",
      subject: "[Keyward] Your API key expires within 7 days",
    });
    expect(outbox.items[0]!.text).toContain(`/keys/${key.id}?renew=1`);

    expect((await ownerSession.request("GET", "/api/v1/admin/outbox")).status).toBe(403);
    const read = await ownerSession.request("POST", "/api/v1/notifications/read", { ids: [notice!.id] });
    expect(await read.json()).toEqual({ updated: 1 });
    const unread = (await (await ownerSession.request("GET", "/api/v1/notifications?unread=true")).json()) as {
      items: { id: string }[];
    };
    expect(unread.items.some((n) => n.id === notice!.id)).toBe(false);
  });

  it("an admin's blacklisting notifies the owner with the reason", async () => {
    const key = await seedKey(testDb(), { userId: owner.id, name: "leaky-one" });
    await adminSession.request("POST", "/api/v1/admin/blacklist", {
      key: key.plaintext,
      reason: "LEAKED",
      note: "in a gist",
    });
    const notices = (await (await ownerSession.request("GET", "/api/v1/notifications")).json()) as {
      items: { kind: string; keyId: string; body: string }[];
    };
    const notice = notices.items.find((n) => n.keyId === key.id);
    expect(notice).toMatchObject({ kind: "BLACKLISTED" });
    expect(notice?.body).toContain("LEAKED: “in a gist”");
  });

  it("preferences can be read and changed, and bad values are a 422", async () => {
    expect(await (await ownerSession.request("GET", "/api/v1/me/preferences")).json()).toMatchObject({
      emailReminders: true,
      timeZone: "UTC",
    });
    const changed = await ownerSession.request("PATCH", "/api/v1/me/preferences", {
      emailReminders: false,
      timeZone: "Europe/Berlin",
    });
    expect(await changed.json()).toMatchObject({ emailReminders: false, timeZone: "Europe/Berlin" });
    expect((await ownerSession.request("PATCH", "/api/v1/me/preferences", { timeZone: "Mars/Base" })).status).toBe(422);
    expect((await ownerSession.request("PATCH", "/api/v1/me/preferences", { role: "ADMIN" })).status).toBe(422);
  });
});
