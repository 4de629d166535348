// The front handler over real HTTP, in front of a stand-in for Next that echoes what it got.
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_IP_HEADER, parseTrustedProxies } from "@/lib/net/client-address";
import { createFrontHandler } from "./front";

let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer(
    createFrontHandler({
      trust: parseTrustedProxies("127.0.0.1"),
      maxBodyBytes: 1000,
      next: (req, res) => {
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ url: req.url, client: req.headers[CLIENT_IP_HEADER] ?? null }));
      },
    }),
  );
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

/** A raw request, so the target and headers are exactly what a hostile client sends. */
function send(target: string, headers: Record<string, string> = {}, method = "GET"): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method, path: target, headers }, (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the front handler", () => {
  it("records the client address itself and replaces a forged copy", async () => {
    const forged = await send("/x", { [CLIENT_IP_HEADER]: "6.6.6.6" });
    expect(forged.body.client).toBe("127.0.0.1");
  });

  it("takes X-Forwarded-For only from a trusted proxy, rightmost untrusted hop first", async () => {
    // The socket (127.0.0.1) is trusted here, so the hop it appended is the client.
    const proxied = await send("/x", { "x-forwarded-for": "6.6.6.6, 198.51.100.4" });
    expect(proxied.body.client).toBe("198.51.100.4");
  });

  it("answers 400 to an asterisk target and 404 to an undecodable path", async () => {
    const star = await send("*");
    expect(star.status).toBe(400);
    expect(star.body).toMatchObject({ status: 400, code: "BAD_REQUEST" });
    for (const path of ["/api/v1/keys/%ZZ", "/api/v1/keys/%", "/api/v1/keys/%ff", "/api/v1/keys/%c0%af/revoke", "/api/v1/keys/%00", "/api/v1/keys/a%0Ab", "/api/v1/keys/%2e%2e"]) {
      const answer = await send(path);
      expect(answer.status, path).toBe(404);
      expect(answer.body.code, path).toBe("NOT_FOUND");
    }
  });

  it("sends an undecodable page path to the app's 404 page", async () => {
    expect((await send("/keys/%ZZ?x=1")).body.url).toBe("/_keyward/not-found");
    expect((await send("/keys/%41")).body.url).toBe("/keys/%41");
  });

  it("refuses a declared body over the cap before anyone reads it", async () => {
    const answer = await send("/api/ping", { "content-length": "5000" }, "POST");
    expect(answer.status).toBe(413);
    expect(answer.body.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("sends HSTS only when told to (APP_URL is https)", async () => {
    const secure = createServer(createFrontHandler({ trust: parseTrustedProxies(undefined), hsts: true, next: (_req, res) => void res.end("{}") }));
    await new Promise<void>((ready) => secure.listen(0, "127.0.0.1", ready));
    try {
      const response = await fetch(`http://127.0.0.1:${(secure.address() as AddressInfo).port}/x`);
      expect(response.headers.get("strict-transport-security")).toMatch(/^max-age=\d+; includeSubDomains$/);
      const plain = await fetch(`http://127.0.0.1:${port}/x`);
      expect(plain.headers.get("strict-transport-security")).toBeNull();
    } finally {
      await new Promise<void>((done) => secure.close(() => done()));
    }
  });
});
