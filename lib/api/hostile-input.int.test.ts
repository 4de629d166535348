// The classes of hostile input that once answered 500 (or hid a server error under a 200), each
// named: NUL and lone surrogates in every text field, broken percent-escapes in path segments,
// pages given poison in their query, `GET *`, and bodies of any size on every route that reads one.
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeTestDb, seedKey, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { expectProblemShape, signIn, type Session } from "@/test-support/http";

let admin: Session;
let keyId: string;

beforeAll(async () => {
  const user = await seedUser(testDb(), { role: "ADMIN" });
  keyId = (await seedKey(testDb(), { userId: user.id })).id;
  admin = await signIn(user.email, user.password);
});
afterAll(closeTestDb);

/** A request exactly as written: no client-side URL normalisation or header checks. */
function raw(
  method: string,
  target: string,
  headers: Record<string, string> = {},
  body?: Buffer | string,
): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(testEnv.baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: hostname, port, method, path: target, headers: { cookie: admin.cookie, ...headers } },
      (res) => {
        let text = "";
        res.on("data", (chunk: Buffer) => (text += chunk.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const NASTY = { nul: "a\u0000b", surrogate: "x\ud800y", lowSurrogate: "\udc00" };

/** Percent-encodes like encodeURIComponent, but writes a lone surrogate as the (invalid) bytes a hostile client would send. */
const encode = (value: string) =>
  value
    .split(/([\ud800-\udfff])/)
    .map((part) =>
      /^[\ud800-\udfff]$/.test(part)
        ? `%ED%${(0xa0 + ((part.charCodeAt(0) >> 6) & 0x1f)).toString(16).toUpperCase()}%${(0x80 + (part.charCodeAt(0) & 0x3f)).toString(16).toUpperCase()}`
        : encodeURIComponent(part),
    )
    .join("");

describe("hostile input", () => {
  it("NUL and lone surrogates in any text field: 422 naming the field", async () => {
    for (const [label, value] of Object.entries(NASTY)) {
      const cases: [string, string, unknown][] = [
        ["POST", "/api/v1/keys", { name: value, scopes: ["read"], expiry: { type: "days", days: 7 } }],
        ["POST", `/api/v1/keys/${keyId}/revoke`, { note: value }],
        ["POST", "/api/v1/admin/blacklist", { keyId, reason: "LEAKED", note: value }],
        ["POST", "/api/v1/admin/blacklist", { keyId: value, reason: "LEAKED" }],
        ["POST", "/api/v1/admin/blacklist", { key: value, reason: "LEAKED" }],
        ["POST", "/api/v1/notifications/read", { ids: [value] }],
        ["POST", "/api/v1/keys/verify", { key: value }],
        ["POST", "/api/v1/keys/verify", { key: "kw_x", scope: value }],
        ["PATCH", "/api/v1/me/preferences", { timeZone: value }],
        ["POST", "/api/v1/me/password", { currentPassword: value, password: "a-long-password" }],
      ];
      for (const [method, path, body] of cases) {
        const response = await admin.request(method, path, body);
        expect(response.status, `${label}: ${method} ${path} ${JSON.stringify(body)}`).toBe(422);
        expectProblemShape(await response.json(), 422);
      }
      for (const query of [
        `q=${encode(value)}`,
        `actor=${encode(value)}`,
        `key=${encode(value)}`,
        `to=${encode(value)}`,
      ]) {
        for (const path of ["/api/v1/keys", "/api/v1/admin/keys", "/api/v1/admin/audit", "/api/v1/admin/outbox"]) {
          const response = await admin.request("GET", `${path}?${query}`);
          expect(response.status, `${label}: GET ${path}?${query}`).toBeLessThan(500);
        }
      }
    }
  });

  it("a path segment that is no valid id (or no valid escape) is a 404, on the API and on pages", async () => {
    for (const segment of ["%ZZ", "%", "%ff", "%c0%af", "%00", "%2e%2e", "x".repeat(3000)]) {
      for (const [method, suffix] of [
        ["GET", ""],
        ["POST", "/revoke"],
        ["POST", "/rotate"],
      ] as const) {
        const answer =
          method === "GET"
            ? await raw(method, `/api/v1/keys/${segment}`)
            : await raw(method, `/api/v1/keys/${segment}${suffix}`, { "content-type": "application/json" }, "{}");
        expect(answer.status, `${method} /api/v1/keys/${segment.slice(0, 20)}${suffix}`).toBe(404);
        expectProblemShape(JSON.parse(answer.text), 404);
      }
      const page = await raw("GET", `/keys/${segment}`);
      expect(page.status, `/keys/${segment.slice(0, 20)}`).toBe(404);
      expect(page.text).toContain("Page not found");
    }
  });

  // A page that fails after the headers went out still answers 200; the failure shows as an
  // error digest (data-dgst) for the browser's error boundary. Neither may appear.
  it("pages given poison in their query fall back to defaults instead of failing under a 200", async () => {
    for (const target of [
      "/keys?q=%00",
      "/keys?q=%ud800",
      "/admin/keys?q=%00",
      "/admin/audit?actor=%00",
      "/admin/outbox?to=%00",
      "/notifications?page=1e12",
      "/notifications?page=-5",
      "/keys?page=1e99&pageSize=NaN",
    ]) {
      const page = await raw("GET", target);
      expect(page.status, target).toBe(200);
      expect(page.text, target).not.toMatch(/Something went wrong|Application error|data-dgst|"digest"/);
    }
  });

  it("an asterisk request target is a 400, not a 500", async () => {
    for (const method of ["GET", "POST", "OPTIONS"]) {
      const answer = await raw(method, "*");
      expect(answer.status, method).toBe(400);
      expectProblemShape(JSON.parse(answer.text), 400);
    }
  });

  it("bodies are bounded everywhere: /api/ping takes none, next-auth's endpoints 16 KiB, declared or streamed", async () => {
    const big = Buffer.alloc(200 * 1024, "a");
    expect((await raw("POST", "/api/ping", { "content-type": "application/json" }, big)).status).toBe(405);
    const form = `csrfToken=x&email=a%40b.c&password=${"p".repeat(200 * 1024)}`;
    const declared = await raw(
      "POST",
      "/api/auth/callback/credentials",
      { "content-type": "application/x-www-form-urlencoded" },
      form,
    );
    expect(declared.status).toBe(413);
    const streamed = await raw(
      "POST",
      "/api/auth/callback/credentials",
      { "content-type": "application/x-www-form-urlencoded", "transfer-encoding": "chunked" },
      form,
    );
    expect(streamed.status).toBe(413);
    // The door itself refuses a declared body over 1 MiB before anyone reads it.
    const huge = await raw("POST", "/api/v1/keys", {
      "content-type": "application/json",
      "content-length": String(150 * 1024 * 1024),
    });
    expect(huge.status).toBe(413);
  });
});
