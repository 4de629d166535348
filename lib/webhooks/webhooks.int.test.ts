// Webhooks end to end, to a real local receiver that checks every signature: each lifecycle
// event arrives (at least once, with a stable webhook-id), nothing secret is in a payload, a
// failing receiver gets retries until it recovers, deliveries survive a restart of the app, a
// receiver failing for three days disables the endpoint and tells its owner, an endpoint is its
// owner's alone, and where private addresses are not allowed they are refused without saying
// what a name resolves to. Prints the latency from a change to its delivery.
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "@/server/app-server";
import { freePort } from "@/server/free-port";
import { Browser } from "@/test-support/browser";
import { closeTestDb, seedKey, seedUser, testDb } from "@/test-support/db";
import { sweep } from "@/test-support/http";
import { startWebhookReceiver, type WebhookReceiver } from "@/test-support/webhook-receiver";

const ALL = [
  "key.created",
  "key.expiring",
  "key.expired",
  "key.revoked",
  "key.leaked",
  "key.rotated",
  "key.grace_ended",
];
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await receiver.close();
  await closeTestDb();
});

async function owner() {
  const user = await seedUser(testDb());
  const browser = new Browser();
  await browser.signIn(user.email, user.password);
  return { user, browser };
}

async function addEndpoint(browser: Browser, eventTypes = ALL, scope: "personal" | "global" = "personal") {
  const response = await browser.json("POST", "/api/v1/webhooks", { url: receiver.url, eventTypes, scope });
  expect(response.status).toBe(201);
  const { endpoint, secret } = (await response.json()) as { endpoint: { id: string }; secret: string };
  receiver.secrets.push(secret);
  return { id: endpoint.id, secret };
}

const forKey = (keyId: string) =>
  receiver.received.filter((r) => (r.payload.data.key as { id?: string } | undefined)?.id === keyId);
const typesFor = (keyId: string) => forKey(keyId).map((r) => r.payload.type);

describe("webhooks", () => {
  it("delivers every lifecycle event, signed, once each, without secrets in the payload", async () => {
    const { user, browser } = await owner();
    const { secret } = await addEndpoint(browser);
    const listed = await (await browser.json("GET", "/api/v1/webhooks")).text();
    expect(listed).not.toContain(secret); // shown once, never again

    const issued = (await (
      await browser.json("POST", "/api/v1/keys", {
        name: "hooked",
        scopes: ["read"],
        expiry: { type: "days", days: 7 },
      })
    ).json()) as {
      key: { id: string };
      plaintext: string;
    };
    const keyId = issued.key.id;
    const rotated = (await (await browser.json("POST", `/api/v1/keys/${keyId}/rotate`, { grace: "1h" })).json()) as {
      key: { id: string };
    };
    await browser.json("POST", `/api/v1/keys/${rotated.key.id}/revoke`, { note: "done with it" });
    const admin = await seedUser(testDb(), { role: "ADMIN" });
    const adminBrowser = new Browser();
    await adminBrowser.signIn(admin.email, admin.password);
    const leaky = await seedKey(testDb(), { userId: user.id, name: "leaky" });
    await adminBrowser.json("POST", "/api/v1/admin/blacklist", {
      keyId: leaky.id,
      reason: "LEAKED",
      note: "in a gist",
    });
    // The sweep's events: a reminder, an expiry and a grace period's end.
    const soon = await seedKey(testDb(), { userId: user.id, expiresAt: new Date(Date.now() + 3 * 86_400_000) });
    const gone = await seedKey(testDb(), { userId: user.id, expiresAt: new Date(Date.now() - 1000) });
    await testDb().apiKey.update({ where: { id: keyId }, data: { graceEndsAt: new Date(Date.now() - 1000) } });
    expect((await sweep()).status).toBe(200);

    await receiver.waitFor(
      () =>
        ["key.created", "key.rotated", "key.grace_ended"].every((t) => typesFor(keyId).includes(t)) &&
        typesFor(rotated.key.id).includes("key.revoked") &&
        typesFor(leaky.id).includes("key.leaked") &&
        typesFor(soon.id).includes("key.expiring") &&
        typesFor(gone.id).includes("key.expired"),
    );
    const mine = [keyId, rotated.key.id, leaky.id, soon.id, gone.id].flatMap(forKey);
    for (const delivery of mine) {
      expect(delivery.validFor, delivery.payload.type).toContain(secret);
      expect(delivery.body).not.toContain(issued.plaintext);
      expect(delivery.body).not.toMatch(/"hash"|[0-9a-f]{64}/);
    }
    const revoked = forKey(rotated.key.id).find((r) => r.payload.type === "key.revoked")!;
    expect(revoked.payload.data).toMatchObject({
      reason: "REVOKED",
      note: "done with it",
      key: { owner: { type: "user", id: user.id } },
    });
    expect(forKey(soon.id).find((r) => r.payload.type === "key.expiring")!.payload.data.windowDays).toBe(7);
    // Each event once (no failures here, so no retries), with its event id as the webhook-id.
    const ids = mine.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const event = await testDb().keyEvent.findFirstOrThrow({ where: { keyId: leaky.id, type: "LEAKED" } });
    expect(forKey(leaky.id)[0]!.id).toBe(event.id);
  });

  it("reaches the receiver within moments of the change (latency printed)", async () => {
    const { user, browser } = await owner();
    await addEndpoint(browser, ["key.revoked"]);
    const keys = await Promise.all(Array.from({ length: 30 }, () => seedKey(testDb(), { userId: user.id })));
    const latencies: number[] = [];
    for (const key of keys) {
      const started = Date.now();
      await browser.json("POST", `/api/v1/keys/${key.id}/revoke`, {});
      await receiver.waitFor(() => forKey(key.id).length > 0, 10_000);
      latencies.push(forKey(key.id)[0]!.at - started);
    }
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
    console.log(
      `[webhooks] change → receiver over ${latencies.length} revocations: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${latencies.at(-1)} ms`,
    );
    expect(at(0.5)).toBeLessThan(2000);
  });

  it("retries a failing receiver with backoff until it recovers; a test event and a redelivery arrive too", async () => {
    const { user, browser } = await owner();
    const endpoint = await addEndpoint(browser, ["key.revoked"]);
    const key = await seedKey(testDb(), { userId: user.id });
    receiver.status = 500;
    await browser.json("POST", `/api/v1/keys/${key.id}/revoke`, {});
    try {
      await receiver.waitFor(() => forKey(key.id).length >= 2, 15_000); // a first attempt and a retry
    } finally {
      receiver.status = 204;
    }
    await testDb().webhookDelivery.updateMany({
      where: { endpointId: endpoint.id },
      data: { nextAttemptAt: new Date() },
    });
    await receiver.waitFor(() => forKey(key.id).length >= 3, 15_000);
    let delivery = await testDb().webhookDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id } });
    for (let i = 0; i < 50 && delivery.status !== "SUCCEEDED"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      delivery = await testDb().webhookDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id } });
    }
    expect(delivery).toMatchObject({ status: "SUCCEEDED", responseStatus: 204 });
    expect(delivery.attempts).toBeGreaterThanOrEqual(3);
    expect(new Set(forKey(key.id).map((r) => r.id)).size).toBe(1); // the same webhook-id every time

    const listed = (await (await browser.json("GET", `/api/v1/webhooks/${endpoint.id}/deliveries`)).json()) as {
      items: { id: string; status: string; attempts: number }[];
    };
    expect(listed.items[0]).toMatchObject({ status: "SUCCEEDED" });
    const before = forKey(key.id).length;
    expect(
      (await browser.json("POST", `/api/v1/webhooks/${endpoint.id}/deliveries/${listed.items[0]!.id}/redeliver`))
        .status,
    ).toBe(202);
    await receiver.waitFor(() => forKey(key.id).length > before);

    const test = (await (await browser.json("POST", `/api/v1/webhooks/${endpoint.id}/test`)).json()) as {
      status: string;
      responseStatus: number;
    };
    expect(test).toMatchObject({ status: "SUCCEEDED", responseStatus: 204 });
    const received = receiver.received.findLast((r) => r.payload.type === "webhook.test")!;
    expect(received.validFor).toContain(endpoint.secret);
  });

  it("after a roll, deliveries are signed with the new secret and, for a day, the old one", async () => {
    const { user, browser } = await owner();
    const endpoint = await addEndpoint(browser, ["key.revoked"]);
    const rolled = (await (await browser.json("POST", `/api/v1/webhooks/${endpoint.id}/roll-secret`)).json()) as {
      secret: string;
    };
    receiver.secrets.push(rolled.secret);
    const key = await seedKey(testDb(), { userId: user.id });
    await browser.json("POST", `/api/v1/keys/${key.id}/revoke`, {});
    await receiver.waitFor(() => forKey(key.id).length > 0);
    expect(forKey(key.id)[0]!.validFor.sort()).toEqual([endpoint.secret, rolled.secret].sort());
  });

  it("keeps deliveries through a restart of the app", async () => {
    const root = resolve(import.meta.dirname, "../..");
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "production",
      APP_URL: `http://127.0.0.1:${port}`,
      AUTH_URL: undefined,
      AUTH_SECRET: process.env.AUTH_SECRET!,
      WEBHOOK_ALLOW_PRIVATE: "true",
      WEBHOOK_RETRY_BASE_MS: "300",
    };
    const start = () =>
      startAppServer({ root, port, env, logFile: join(root, "test-results/server-webhooks-restart.log") });
    let app = await start();
    try {
      const user = await seedUser(testDb());
      const browser = new Browser(app.url);
      await browser.signIn(user.email, user.password);
      await addEndpoint(browser, ["key.revoked"]);
      const keys = await Promise.all(Array.from({ length: 10 }, () => seedKey(testDb(), { userId: user.id })));
      receiver.status = 503; // nothing gets through while the app is up
      for (const key of keys) await browser.json("POST", `/api/v1/keys/${key.id}/revoke`, {});
      await receiver.waitFor(() => keys.every((k) => forKey(k.id).length > 0));
      app.child.kill("SIGKILL");
      await new Promise((r) => app.child.once("exit", r));
      // A delivery the dead process was sending is sent again after its lease.
      await testDb().webhookDelivery.updateMany({
        where: { status: "SENDING" },
        data: { claimedAt: new Date(Date.now() - 10 * 60_000) },
      });
      await testDb().webhookDelivery.updateMany({
        where: { status: { in: ["FAILED", "SENDING"] } },
        data: { nextAttemptAt: new Date() },
      });
      receiver.status = 204;
      const before = receiver.received.length;
      app = await start();
      await receiver.waitFor(
        () => keys.every((k) => forKey(k.id).some((r) => r.at > 0 && receiver.received.indexOf(r) >= before)),
        20_000,
      );
      const deliveries = await testDb().webhookDelivery.findMany({
        where: { event: { keyId: { in: keys.map((k) => k.id) } } },
      });
      expect(deliveries).toHaveLength(keys.length);
      expect(deliveries.every((d) => d.status === "SUCCEEDED")).toBe(true);
    } finally {
      receiver.status = 204;
      await app.stop();
    }
  });

  it("disables an endpoint failing for three days, and tells its owner", async () => {
    const { user, browser } = await owner();
    const endpoint = await addEndpoint(browser, ["key.revoked"]);
    await testDb().webhookEndpoint.update({
      where: { id: endpoint.id },
      data: { failingSince: new Date(Date.now() - 4 * 86_400_000) },
    });
    receiver.status = 500;
    try {
      const key = await seedKey(testDb(), { userId: user.id });
      await browser.json("POST", `/api/v1/keys/${key.id}/revoke`, {});
      let row = await testDb().webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
      for (let i = 0; i < 100 && row.enabled; i++) {
        await new Promise((r) => setTimeout(r, 100));
        row = await testDb().webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
      }
      expect(row.enabled).toBe(false);
      expect(row.disabledReason).toContain("failed");
      const notice = await testDb().notification.findFirstOrThrow({
        where: { userId: user.id, kind: "WEBHOOK_DISABLED" },
      });
      expect(notice.keyName).toBe(receiver.url);
    } finally {
      receiver.status = 204;
    }
    // Enabling it again starts afresh.
    const enabled = (await (
      await browser.json("PATCH", `/api/v1/webhooks/${endpoint.id}`, { enabled: true })
    ).json()) as { enabled: boolean; failingSince: string | null };
    expect(enabled).toMatchObject({ enabled: true, failingSince: null });
  });

  it("is its owner's alone; global endpoints are for admins and get every key's events", async () => {
    const a = await owner();
    const b = await owner();
    const endpoint = await addEndpoint(a.browser, ["key.revoked"]);
    for (const [method, path] of [
      ["GET", ""],
      ["PATCH", ""],
      ["DELETE", ""],
      ["POST", "/test"],
      ["POST", "/roll-secret"],
      ["GET", "/deliveries"],
    ] as const) {
      const response = await b.browser.json(
        method,
        `/api/v1/webhooks/${endpoint.id}${path}`,
        method === "PATCH" ? { enabled: false } : undefined,
      );
      expect(response.status, `${method} ${path}`).toBe(404);
    }
    expect(
      (
        await b.browser.json("POST", "/api/v1/webhooks", {
          url: receiver.url,
          eventTypes: ["key.revoked"],
          scope: "global",
        })
      ).status,
    ).toBe(403);
    // b's key revoked: a's personal endpoint hears nothing of it.
    const bKey = await seedKey(testDb(), { userId: b.user.id });
    const admin = await seedUser(testDb(), { role: "ADMIN" });
    const adminBrowser = new Browser();
    await adminBrowser.signIn(admin.email, admin.password);
    const global = await addEndpoint(adminBrowser, ["key.revoked"], "global");
    await b.browser.json("POST", `/api/v1/keys/${bKey.id}/revoke`, {});
    await receiver.waitFor(() => forKey(bKey.id).some((r) => r.validFor.includes(global.secret)));
    expect(forKey(bKey.id).some((r) => r.validFor.includes(endpoint.secret))).toBe(false);
    await adminBrowser.json("DELETE", `/api/v1/webhooks/${global.id}`);
  });

  it("records events no endpoint wants as fanned out already; an endpoint gets the events recorded while it exists", async () => {
    const { user, browser } = await owner();
    const before = await seedKey(testDb(), { userId: user.id });
    await browser.json("POST", `/api/v1/keys/${before.id}/revoke`, {});
    const endpoint = await addEndpoint(browser, ["key.revoked"]);
    const after = await seedKey(testDb(), { userId: user.id });
    await browser.json("POST", `/api/v1/keys/${after.id}/revoke`, {});
    // A type the endpoint does not take, from a single change and from the sweep's statement.
    const issued = (await (
      await browser.json("POST", "/api/v1/keys", {
        name: "unwatched",
        scopes: ["read"],
        expiry: { type: "days", days: 7 },
      })
    ).json()) as { key: { id: string } };
    const gone = await seedKey(testDb(), { userId: user.id, expiresAt: new Date(Date.now() - 1000) });
    expect((await sweep()).status).toBe(200);

    await receiver.waitFor(() => forKey(after.id).length > 0);
    const event = (keyId: string, type: "REVOKED" | "CREATED" | "EXPIRED") =>
      testDb().keyEvent.findFirstOrThrow({ where: { keyId, type } });
    // Recorded with fannedOutAt = occurredAt (the dispatcher, had it marked them, would have
    // written a later time): no delivery rows, now or later.
    for (const unwanted of [
      await event(before.id, "REVOKED"),
      await event(issued.key.id, "CREATED"),
      await event(gone.id, "EXPIRED"),
    ]) {
      expect(unwanted.fannedOutAt?.getTime(), unwanted.type).toBe(unwanted.occurredAt.getTime());
      expect(await testDb().webhookDelivery.count({ where: { eventId: unwanted.id } })).toBe(0);
    }
    const wanted = await event(after.id, "REVOKED");
    expect(await testDb().webhookDelivery.count({ where: { eventId: wanted.id, endpointId: endpoint.id } })).toBe(1);
    expect(forKey(before.id)).toEqual([]);
  });
});

describe("webhooks where private addresses are not allowed", () => {
  // An instance of its own, up only for these tests: one with WEBHOOK_ALLOW_PRIVATE=false on the
  // shared database takes its share of every other test's deliveries to the receiver on
  // 127.0.0.1, and refuses them.
  let strict: AppServer;
  beforeAll(async () => {
    const root = resolve(import.meta.dirname, "../..");
    const port = await freePort();
    strict = await startAppServer({
      root,
      port,
      logFile: join(root, "test-results/server-webhooks-strict.log"),
      env: {
        ...process.env,
        NODE_ENV: "production",
        APP_URL: `http://127.0.0.1:${port}`,
        AUTH_URL: undefined,
        WEBHOOK_ALLOW_PRIVATE: "false",
      },
    });
  });
  afterAll(() => strict?.stop());

  it("refuses endpoints on private addresses (SSRF)", async () => {
    const user = await seedUser(testDb());
    const browser = new Browser(strict.url);
    await browser.signIn(user.email, user.password);
    for (const url of [
      receiver.url,
      "http://169.254.169.254/latest/meta-data",
      "http://[::1]:9/x",
      "http://localhost/x",
      "http://10.0.0.1/x",
    ]) {
      const response = await browser.json("POST", "/api/v1/webhooks", { url, eventTypes: ["key.revoked"] });
      expect(response.status, url).toBe(422);
    }
    expect(
      (await browser.json("POST", "/api/v1/webhooks", { url: "file:///etc/passwd", eventTypes: ["key.revoked"] }))
        .status,
    ).toBe(422);
  });

  it("refuses a private address, or a name that does not resolve, with one answer that never says what a name resolves to", async () => {
    const user = await seedUser(testDb());
    const browser = new Browser(strict.url);
    await browser.signIn(user.email, user.password);
    const answers: string[] = [];
    const refused = async (response: Response, what: string) => {
      expect(response.status, what).toBe(422);
      const body = (await response.json()) as { detail: string; errors: unknown };
      expect(JSON.stringify(body), what).not.toMatch(/127\.0\.0\.1|::1\b|7f00|resolves to|Cannot resolve/);
      answers.push(JSON.stringify([body.detail, body.errors]));
    };
    const urls = [
      "http://localhost:1/",
      "http://no-such-name.invalid/",
      "http://127.0.0.1:1/",
      "http://[::127.0.0.1]/",
      "http://[::ffff:7f00:1]/",
    ];
    for (const url of urls)
      await refused(
        await browser.json("POST", "/api/v1/webhooks", { url, eventTypes: ["key.revoked"] }),
        `POST ${url}`,
      );
    // Moving an endpoint there is refused the same way.
    const created = await browser.json("POST", "/api/v1/webhooks", {
      url: "http://8.8.8.8/hooks",
      eventTypes: ["key.revoked"],
    });
    expect(created.status).toBe(201);
    const { endpoint } = (await created.json()) as { endpoint: { id: string } };
    for (const url of urls.slice(0, 2))
      await refused(await browser.json("PATCH", `/api/v1/webhooks/${endpoint.id}`, { url }), `PATCH ${url}`);
    expect(new Set(answers).size, answers.join("\n")).toBe(1);
    expect(answers[0]).toContain("This address cannot receive webhooks: it must resolve to a public address.");
    expect((await browser.json("DELETE", `/api/v1/webhooks/${endpoint.id}`)).status).toBe(200);
  });
});
