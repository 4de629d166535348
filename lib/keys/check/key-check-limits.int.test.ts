// Per-client limits on key checks, over HTTP, against a server behind a trusted proxy
// (TRUSTED_PROXIES=127.0.0.1): the tests play the proxy, so each X-Forwarded-For address is a
// client of its own. The server allows 10 checks and 3 unknown keys per client per minute.
import { randomInt } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeTestDb, seedKey, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { generateKey } from "../format";

const CHECKS = 10;
const MISSES = 3;
let valid: string;

beforeAll(async () => {
  const owner = await seedUser(testDb());
  valid = (await seedKey(testDb(), { userId: owner.id })).plaintext;
});
afterAll(closeTestDb);

/** A client address no other test (or earlier run in this minute) has used. */
const newClient = () => `198.18.${randomInt(0, 255)}.${randomInt(1, 255)}`;

function check(client: string, key: string) {
  return fetch(`${testEnv.limitedUrl}/api/v1/keys/verify`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": client },
    body: JSON.stringify({ key }),
  });
}

function gate(client: string, key: string) {
  return fetch(`${testEnv.limitedUrl}/api/v1/protected/whoami`, {
    headers: { "x-forwarded-for": client, "x-api-key": key },
  });
}

describe("key-check limits", () => {
  it("refuses a client past its checks, and only that client", async () => {
    const client = newClient();
    for (let i = 0; i < CHECKS; i++) expect((await check(client, valid)).status).toBe(200);
    const refused = await check(client, valid);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await check(newClient(), valid)).status).toBe(200);
  });

  it("the gate shares the budget, so bad keys are not answered forever", async () => {
    const client = newClient();
    for (let i = 0; i < CHECKS; i++) expect((await gate(client, "kw_garbage")).status).toBe(403);
    expect((await gate(client, "kw_garbage")).status).toBe(429);
    expect((await check(client, valid)).status).toBe(429);
  });

  it("charges unknown keys: past the miss budget even a valid key is refused", async () => {
    const client = newClient();
    for (let i = 0; i < MISSES; i++) {
      const answer = await check(client, generateKey("kw").plaintext);
      expect(answer.status).toBe(200);
      expect(await answer.json()).toMatchObject({ code: "NOT_FOUND" });
    }
    expect((await check(client, valid)).status).toBe(429);
    // Malformed strings never reach the database and cost no miss.
    const other = newClient();
    for (let i = 0; i < MISSES + 2; i++)
      expect(await (await check(other, "kw_garbage")).json()).toMatchObject({ code: "MALFORMED" });
    expect(await (await check(other, valid)).json()).toMatchObject({ code: "VALID" });
  });
});
