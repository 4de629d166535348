// GET /metrics on real servers: absent unless configured (404), refused without the token or with
// a wrong one (401), served with it, or on a port of its own; and the figures move as the app
// works: verifications by outcome and way in, the key cache, rate-limit refusals, sign-in
// failures, the sweep's last run read from the database.
import { randomBytes } from "node:crypto";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@/server/free-port";
import { startAppServer, type AppServer } from "@/server/app-server";
import { startInstances } from "@/test-support/app-instances";
import { closeTestDb, seedKey, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { verify } from "@/test-support/http";
import { metricNames } from "./registry";

const root = resolve(import.meta.dirname, "../..");
const TOKEN = randomBytes(24).toString("base64url");
const RATE_LIMIT = 30;
let withToken: AppServer;
let withPort: AppServer;
let metricsPort: number;

beforeAll(async () => {
  // Both of this instance's ports chosen before it starts, so that they differ.
  const appPort = await freePort();
  do metricsPort = await freePort();
  while (metricsPort === appPort);
  const [tokenOnes, portOne] = await Promise.all([
    startInstances("metrics-token", 1, testEnv.databaseUrl, {
      METRICS_TOKEN: TOKEN,
      VERIFY_RATE_LIMIT: String(RATE_LIMIT),
    }),
    startAppServer({
      root,
      port: appPort,
      logFile: join(root, "test-results/server-metrics-port.log"),
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATABASE_URL: testEnv.databaseUrl,
        APP_URL: `http://127.0.0.1:${appPort}`,
        AUTH_URL: undefined,
        AUTH_SECRET: randomBytes(32).toString("base64url"),
        METRICS_PORT: String(metricsPort),
        // Next's router answers verify here: the `next` way in is counted too.
        VERIFY_FAST_PATH: "false",
      },
    }),
  ]);
  withToken = tokenOnes[0]!;
  withPort = portOne;
});
afterAll(async () => {
  await withToken?.stop();
  await withPort?.stop();
  await closeTestDb();
});

/** The samples of a scrape, by series (`name{labels}` exactly as exposed). */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const space = line.lastIndexOf(" ");
    out.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return out;
}

async function scrape(url = `${withToken.url}/metrics`, token: string | null = TOKEN): Promise<Map<string, number>> {
  const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/plain; version=0.0.4");
  return samples(await response.text());
}

const verifications = (outcome: string, path = "fast") =>
  `keyward_verifications_total{outcome="${outcome}",path="${path}"}`;

describe("GET /metrics", () => {
  it("is not there when neither METRICS_TOKEN nor METRICS_PORT is set (404)", async () => {
    for (const method of ["GET", "HEAD"])
      expect((await fetch(`${testEnv.baseUrl}/metrics`, { method })).status).toBe(404);
    expect((await fetch(`${testEnv.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(
      404,
    );
  });

  it("refuses a scrape without the token or with a wrong one (401), and names the scheme", async () => {
    for (const authorization of [
      undefined,
      "Bearer",
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(1)}`,
      `Basic ${TOKEN}`,
      TOKEN,
    ]) {
      const response = await fetch(`${withToken.url}/metrics`, {
        headers: authorization === undefined ? {} : { authorization },
      });
      expect(response.status, String(authorization)).toBe(401);
      expect(response.headers.get("www-authenticate")).toContain("Bearer");
      expect(await response.text()).not.toContain("keyward_");
    }
  });

  it("counts verifications by outcome and way in, cache lookups and rate-limit refusals, as they happen", async () => {
    const db = testDb();
    const user = await seedUser(db);
    const key = await seedKey(db, { userId: user.id });
    const before = await scrape();
    for (let i = 0; i < 3; i++) expect((await verify(key.plaintext, undefined, withToken.url)).body.code).toBe("VALID");
    expect((await verify("kw_not-a-key", undefined, withToken.url)).body.code).toBe("MALFORMED");
    expect((await verify("kw_not-a-key", undefined, withToken.url)).body.code).toBe("MALFORMED");
    const after = await scrape();
    const moved = (series: string) => (after.get(series) ?? 0) - (before.get(series) ?? 0);
    expect(moved(verifications("VALID"))).toBe(3);
    expect(moved(verifications("MALFORMED"))).toBe(2);
    expect(moved(verifications("VALID", "next"))).toBe(0);
    expect(moved('keyward_verify_duration_seconds_count{path="fast"}')).toBe(5);
    expect(moved('keyward_verify_duration_seconds_bucket{path="fast",le="+Inf"}')).toBe(5);
    expect(moved('keyward_verify_duration_seconds_sum{path="fast"}')).toBeGreaterThan(0);
    if (testEnv.dbKind === "postgres") {
      // The first lookup loads the key; the next two find it in the cache.
      expect(moved('keyward_key_cache_lookups_total{result="hit"}')).toBe(2);
      expect(moved('keyward_key_cache_lookups_total{result="miss"}')).toBe(1);
      expect(after.get("keyward_key_cache_entries")).toBeGreaterThanOrEqual(1);
      expect(after.get("keyward_listen_up")).toBe(1);
    }
    // Process metrics (prom-client's defaults): memory and event-loop lag.
    expect(after.get("keyward_process_resident_memory_bytes")).toBeGreaterThan(10_000_000);
    expect(after.has("keyward_nodejs_eventloop_lag_p99_seconds")).toBe(true);

    // The client's own budget (VERIFY_RATE_LIMIT per minute) runs out: refused, and counted as such.
    let refused = 0;
    for (let i = 0; i < RATE_LIMIT + 2; i++)
      if ((await verify("kw_not-a-key", undefined, withToken.url)).status === 429) refused++;
    expect(refused).toBeGreaterThan(0);
    const limited = await scrape();
    expect(
      (limited.get('keyward_rate_limited_total{kind="verify_client"}') ?? 0) -
        (after.get('keyward_rate_limited_total{kind="verify_client"}') ?? 0),
    ).toBe(refused);
    expect((limited.get(verifications("refused")) ?? 0) - (after.get(verifications("refused")) ?? 0)).toBe(refused);
  });

  it("counts failed sign-ins, and reads the sweep's last run from the database", async () => {
    const user = await seedUser(testDb());
    const before = await scrape();
    const csrf = await fetch(`${withToken.url}/api/auth/csrf`);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const cookie = csrf.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const wrong = await fetch(`${withToken.url}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      body: new URLSearchParams({
        csrfToken,
        email: user.email,
        password: "not-the-password",
        callbackUrl: `${withToken.url}/keys`,
      }),
    });
    expect(wrong.status).toBeLessThan(400);
    const sweep = await fetch(`${withToken.url}/api/cron/sweep`, {
      method: "POST",
      headers: { authorization: `Bearer ${testEnv.cronSecret}` },
    });
    expect(sweep.status).toBe(200);
    const { finishedAt } = (await sweep.json()) as { finishedAt: string };
    const after = await scrape();
    expect(
      (after.get("keyward_sign_in_failures_total") ?? 0) - (before.get("keyward_sign_in_failures_total") ?? 0),
    ).toBe(1);
    expect(after.get("keyward_database_figures_up")).toBe(1);
    // The newest successful run: this one, or one another test started just after it.
    expect(after.get("keyward_sweep_last_success_timestamp_seconds")).toBeGreaterThanOrEqual(
      Math.floor(new Date(finishedAt).getTime() / 1000) - 1,
    );
    expect(after.get("keyward_sweep_last_duration_seconds")).toBeGreaterThanOrEqual(0);
    expect(after.has('keyward_sweep_last_step_count{step="expired"}')).toBe(true);
    expect(after.has("keyward_sweep_backlog_keys")).toBe(true);
    expect(after.has('keyward_outbox_emails{state="pending"}')).toBe(true);
    expect(after.has('keyward_webhook_backlog{state="failing"}')).toBe(true);
  });

  it("is served on METRICS_PORT alone when that is set: not on the app's port, and nothing else on the metrics port", async () => {
    expect((await fetch(`${withPort.url}/metrics`)).status).toBe(404);
    const portUrl = `http://127.0.0.1:${metricsPort}`;
    expect((await fetch(`${portUrl}/`)).status).toBe(404);
    expect((await fetch(`${portUrl}/api/health`)).status).toBe(404);
    const db = testDb();
    const key = await seedKey(db, { userId: (await seedUser(db)).id });
    const before = await scrape(`${portUrl}/metrics`, null);
    expect((await verify(key.plaintext, undefined, withPort.url)).body.code).toBe("VALID");
    const after = await scrape(`${portUrl}/metrics`, null);
    expect((after.get(verifications("VALID", "next")) ?? 0) - (before.get(verifications("VALID", "next")) ?? 0)).toBe(
      1,
    );
    expect((after.get(verifications("VALID")) ?? 0) - (before.get(verifications("VALID")) ?? 0)).toBe(0);
  });

  it("shows every metric the registry declares", async () => {
    const exposed = await (
      await fetch(`${withToken.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
    ).text();
    for (const name of metricNames()) expect(exposed, name).toContain(`# TYPE ${name} `);
  });
});
