// The database goes away under a running app (its connection is cut at the network): verify,
// the gate, the API and the portal pages answer 503 (pages with a page that says so), nothing
// answers VALID or 500, and once the database is back everything works again, without a
// restart. The time that takes is measured and printed.
import { randomBytes } from "node:crypto";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "@/server/app-server";
import { freePort } from "@/server/free-port";
import { Browser } from "@/test-support/browser";
import { closeTestDb, seedKey, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { verify } from "@/test-support/http";
import { startTcpProxy, targetOf, urlThrough, type TcpProxy } from "@/test-support/tcp-proxy";

let proxy: TcpProxy;
let app: AppServer;

beforeAll(async () => {
  proxy = await startTcpProxy(targetOf(testEnv.databaseUrl));
  const port = await freePort();
  app = await startAppServer({
    root: resolve(import.meta.dirname, "../.."),
    port,
    logFile: join(resolve(import.meta.dirname, "../.."), "test-results/server-outage.log"),
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: urlThrough(testEnv.databaseUrl, proxy.port),
      APP_URL: `http://127.0.0.1:${port}`,
      AUTH_URL: undefined,
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      KEY_CACHE_TTL_MS: "0",
    },
  });
});
afterAll(async () => {
  await app?.stop();
  await proxy?.close();
  await closeTestDb();
});

describe("a database outage", () => {
  it("is a 503 everywhere, pages included, and everything recovers without a restart", async () => {
    const user = await seedUser(testDb());
    const key = await seedKey(testDb(), { userId: user.id });
    const browser = new Browser(app.url);
    await browser.signIn(user.email, user.password);
    expect((await browser.fetch("/keys")).status).toBe(200);

    await proxy.cut();
    const page = await browser.fetch("/keys?tab=expiring");
    expect(page.status).toBe(503);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain("The key database is unreachable");
    expect((await browser.fetch("/admin/keys")).status).toBe(503);
    expect((await browser.json("GET", "/api/v1/keys")).status).toBe(503);
    const verified = await verify(key.plaintext, undefined, app.url);
    expect(verified.status).toBe(503);
    expect(verified.body.valid).toBeUndefined();
    expect(
      (await fetch(`${app.url}/api/v1/protected/whoami`, { headers: { "x-api-key": key.plaintext } })).status,
    ).toBe(503);
    expect((await fetch(`${app.url}/api/health`)).status).toBe(503);

    await proxy.restore();
    const back = Date.now();
    let status = 0;
    while (Date.now() - back < 30_000) {
      status = (await browser.fetch("/keys")).status;
      if (status === 200) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const recoveredMs = Date.now() - back;
    console.log(`[outage] portal answered 200 again ${recoveredMs} ms after the database came back`);
    expect(status).toBe(200);
    expect((await verify(key.plaintext, undefined, app.url)).body.code).toBe("VALID");
    expect((await fetch(`${app.url}/api/health`)).status).toBe(200);
  }, 120_000);
});
