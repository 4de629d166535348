// Bad input to every route gets a 4xx in the one problem+json shape: never a 500, never a stack.
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeTestDb, seedKey, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { expectProblemShape, signIn, type Session } from "@/test-support/http";

let admin: Session;
let keyId: string;

beforeAll(async () => {
  const db = testDb();
  const user = await seedUser(db, { role: "ADMIN" });
  keyId = (await seedKey(db, { userId: user.id })).id;
  admin = await signIn(user.email, user.password);
});
afterAll(closeTestDb);

const POST_ROUTES = () => [
  "/api/v1/keys/verify",
  "/api/v1/keys",
  `/api/v1/keys/${keyId}/revoke`,
  `/api/v1/keys/${keyId}/rotate`,
  "/api/v1/admin/blacklist",
  "/api/v1/me/passkeys",
];

async function expectProblem(response: Response, status: number) {
  expect(response.status, `${response.url}`).toBe(status);
  expect(response.headers.get("content-type")).toContain("application/problem+json");
  expectProblemShape(await response.json(), status);
}

describe("bad input", () => {
  it("unparseable JSON → 400", async () => {
    for (const path of POST_ROUTES()) await expectProblem(await admin.request("POST", path, "{not json"), 400);
  });

  it("a body that is not JSON at all → 415", async () => {
    for (const path of POST_ROUTES()) {
      await expectProblem(
        await admin.request("POST", path, "key=abc", { "content-type": "application/x-www-form-urlencoded" }),
        415,
      );
    }
  });

  it("wrong types and unknown fields → 422 naming the field", async () => {
    const cases: [string, unknown][] = [
      ["/api/v1/keys/verify", { key: 42 }],
      ["/api/v1/keys/verify", { key: "kw_x", extra: true }],
      ["/api/v1/keys/verify", []],
      ["/api/v1/keys", { name: "x", scopes: "read", expiry: { type: "days", days: 30 } }],
      ["/api/v1/keys", { name: "x", scopes: ["read"], expiry: { type: "days", days: 45 } }],
      ["/api/v1/keys", { name: "x", scopes: ["read"], expiry: { type: "days", days: 30 }, hash: "mine" }],
      ["/api/v1/keys", { name: "x", scopes: ["root"], expiry: { type: "days", days: 30 } }],
      ["/api/v1/keys", { name: "x", scopes: ["read"], expiry: { type: "never" } }],
      ["/api/v1/keys", { name: "x", scopes: ["read"], expiry: { type: "date", date: "2001-01-01" } }],
      [`/api/v1/keys/${keyId}/rotate`, { grace: "forever" }],
      [`/api/v1/keys/${keyId}/revoke`, { note: 7 }],
      ["/api/v1/admin/blacklist", { keyId, reason: "BORED" }],
      ["/api/v1/admin/blacklist", { reason: "LEAKED" }],
      ["/api/v1/admin/blacklist", { key: "not-a-key", reason: "LEAKED" }],
    ];
    for (const [path, body] of cases) {
      const response = await admin.request("POST", path, body);
      expect(response.status, `${path} ${JSON.stringify(body)}`).toBe(422);
      const problem = (await response.json()) as { errors?: unknown[] };
      expectProblemShape(problem, 422);
      expect(problem.errors?.length, `${path} ${JSON.stringify(body)}`).toBeGreaterThan(0);
    }
  });

  it("huge bodies → 413, whether or not Content-Length says so", async () => {
    const huge = JSON.stringify({ key: "x".repeat(100_000) });
    for (const path of POST_ROUTES()) await expectProblem(await admin.request("POST", path, huge), 413);
    const streamed = await streamBody(`${testEnv.baseUrl}/api/v1/keys/verify`, huge.length);
    expect(streamed.status).toBe(413);
    expect(streamed.type).toContain("application/problem+json");
    expectProblemShape(JSON.parse(streamed.body), 413);
  });

  it("a 20 MB body streamed without a length gets its whole 413, 20 times out of 20", async () => {
    // The server refuses it long before its end, while the client is still sending: the answer
    // must reach the client anyway, not a reset that takes the answer with it.
    for (const path of ["/api/ping", "/api/auth/callback/credentials", "/api/v1/keys/verify"]) {
      for (let attempt = 1; attempt <= 20; attempt++) {
        const answer = await streamBody(`${testEnv.baseUrl}${path}`, 20 * 1024 * 1024).catch((error: Error) => ({
          status: 0,
          type: undefined,
          body: error.message,
        }));
        expect(answer.status, `${path}, attempt ${attempt}: ${answer.body}`).toBe(413);
        expect(answer.type, path).toContain("application/problem+json");
        expectProblemShape(JSON.parse(answer.body), 413);
      }
    }
  }, 120_000);

  it("bad query parameters → 422; unknown ids → 404", async () => {
    await expectProblem(await admin.request("GET", "/api/v1/keys?pageSize=100000"), 422);
    await expectProblem(await admin.request("GET", "/api/v1/keys?sort=hash"), 422);
    await expectProblem(await admin.request("GET", "/api/v1/keys/does-not-exist"), 404);
    await expectProblem(await admin.request("POST", "/api/v1/keys/does-not-exist/revoke", {}), 404);
    await expectProblem(
      await admin.request("POST", "/api/v1/admin/blacklist", { keyId: "nope", reason: "LEAKED" }),
      404,
    );
  });

  it("nothing is half-written after a refused request", async () => {
    const before = await testDb().apiKey.count();
    await admin.request("POST", "/api/v1/keys", {
      name: "x",
      scopes: ["read", "root"],
      expiry: { type: "days", days: 30 },
    });
    expect(await testDb().apiKey.count()).toBe(before);
  });
});

/**
 * Sends `size` bytes in chunks without a declared length, as fast as the server takes them, and
 * keeps sending until the answer has been read whole, as a plain upload client does. An error
 * before that (a reset, a broken pipe) fails; after it, the rest of the body is the client's
 * business, and the connection is dropped.
 */
function streamBody(url: string, size: number): Promise<{ status: number; type: string | undefined; body: string }> {
  return new Promise((done, fail) => {
    let answered = false;
    const req = request(
      url,
      { method: "POST", agent: false, headers: { "content-type": "application/json" } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          answered = true;
          req.destroy();
          done({
            status: res.statusCode!,
            type: res.headers["content-type"],
            body: Buffer.concat(chunks).toString("utf8"),
          });
        });
      },
    );
    req.on("error", (error) => {
      if (!answered) fail(error);
    });
    const chunk = Buffer.alloc(64 * 1024, "x");
    let sent = 0;
    const pump = () => {
      while (sent < size && !answered && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (sent >= size && !req.destroyed) req.end();
    };
    pump();
  });
}
