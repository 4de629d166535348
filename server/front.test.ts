// The front handler over real HTTP, in front of a stand-in for Next that echoes what it got.
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_IP_HEADER, parseTrustedProxies } from "@/lib/net/client-address";
import type { PlainResponse } from "@/lib/http/plain-exchange";
import { provideFastRoute } from "@/lib/process/fast-routes";
import { createFrontHandler, settled } from "./front";

let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer(
    createFrontHandler({
      trust: parseTrustedProxies("127.0.0.1"),
      maxBodyBytes: 1000,
      next: async (req, res) => {
        // Like Next's 405, an answer that does not wait for the body unless asked to read it.
        const body = req.headers["x-read-body"] ? await text(req) : undefined;
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ url: req.url, client: req.headers[CLIENT_IP_HEADER] ?? null, body }));
      },
    }),
  );
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

/** A raw request, so the target and headers are exactly what a hostile client sends. */
function send(
  target: string,
  headers: Record<string, string> = {},
  method = "GET",
  body?: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method, path: target, headers }, (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: JSON.parse(text) as Record<string, unknown>,
        }),
      );
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function text(stream: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks).toString();
}

/** `size` bytes streamed without a declared length, as fast as the server takes them, until the answer is in. */
function streamed(
  target: string,
  size: number,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request({ host: "127.0.0.1", port, method: "POST", path: target, headers }, (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () => {
        answered = true;
        req.destroy();
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: JSON.parse(text) as Record<string, unknown>,
        });
      });
    });
    req.on("error", (error) => answered || reject(error));
    const chunk = Buffer.alloc(Math.min(size, 64 * 1024), "x");
    let sent = 0;
    const pump = () => {
      while (sent < size && !answered) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!answered) req.end();
    };
    pump();
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
    for (const path of [
      "/api/v1/keys/%ZZ",
      "/api/v1/keys/%",
      "/api/v1/keys/%ff",
      "/api/v1/keys/%c0%af/revoke",
      "/api/v1/keys/%00",
      "/api/v1/keys/a%0Ab",
      "/api/v1/keys/%2e%2e",
    ]) {
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

  it("reads a streamed body whole before Next answers, and refuses one past the cap while the client still sends", async () => {
    const small = await streamed("/x", 900, { "x-read-body": "1" });
    expect(small.status).toBe(200);
    expect(small.body).toMatchObject({ body: "x".repeat(900) });
    // Next would answer at once; the door answers instead, once the cap is passed, and the client
    // (still sending) reads the whole 413 before the connection closes.
    for (let attempt = 0; attempt < 5; attempt++) {
      const big = await streamed("/x", 8 * 1024 * 1024);
      expect(big.status).toBe(413);
      expect(big.body.code).toBe("PAYLOAD_TOO_LARGE");
      expect(big.headers.connection).toBe("close");
    }
  });

  it("answers a provided fast route itself, with the client's address and a capped body; the rest goes to Next", async () => {
    provideFastRoute("POST", "/fast-echo", async (req): Promise<PlainResponse> => {
      const body = await req.readBody(100);
      if (body === null)
        return {
          status: 413,
          headers: { "content-type": "application/json", connection: "close" },
          body: JSON.stringify({ code: "PAYLOAD_TOO_LARGE" }),
        };
      return {
        status: 201,
        headers: { "content-type": "application/json", "x-fast": "1" },
        body: JSON.stringify({ ip: req.ip, type: req.contentType, body: body.toString() }),
      };
    });
    const answer = await send(
      "/fast-echo?q=1",
      { "content-type": "text/x-test", "x-forwarded-for": "203.0.113.9", [CLIENT_IP_HEADER]: "6.6.6.6" },
      "POST",
      "hello",
    );
    expect(answer.status).toBe(201);
    expect(answer.headers["x-fast"]).toBe("1");
    expect(answer.body).toEqual({ ip: "203.0.113.9", type: "text/x-test", body: "hello" });
    // Another method, or another path, is Next's.
    expect((await send("/fast-echo")).body.url).toBe("/fast-echo");
    expect((await send("/fast-echo/x", {}, "POST", "x")).body.url).toBe("/fast-echo/x");
    // A body past the route's cap, streamed without a declared length, is refused and the connection closed.
    const big = await new Promise<{ status: number; headers: Record<string, unknown>; body: Record<string, unknown> }>(
      (resolve, reject) => {
        const req = request({ host: "127.0.0.1", port, method: "POST", path: "/fast-echo" }, (res) => {
          let text = "";
          res.on("data", (chunk: Buffer) => (text += chunk.toString()));
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: JSON.parse(text) as Record<string, unknown>,
            }),
          );
        });
        req.on("error", reject);
        req.write("x".repeat(60));
        setTimeout(() => req.end("y".repeat(60)), 20);
      },
    );
    expect(big.status).toBe(413);
    expect(big.body.code).toBe("PAYLOAD_TOO_LARGE");
    expect(big.headers.connection).toBe("close");
  });

  it("sends HSTS only when told to (APP_URL is https)", async () => {
    const secure = createServer(
      createFrontHandler({
        trust: parseTrustedProxies(undefined),
        hsts: true,
        next: (_req, res) => void res.end("{}"),
      }),
    );
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

  it("answers 500 to a request whose handler rejects, and keeps serving the next one", async () => {
    let calls = 0;
    const failing = createServer(
      settled(
        createFrontHandler({
          trust: parseTrustedProxies(undefined),
          next: (_req, res) => (++calls === 1 ? Promise.reject(new Error("boom")) : void res.end("{}")),
        }),
      ),
    );
    await new Promise<void>((ready) => failing.listen(0, "127.0.0.1", ready));
    try {
      const url = `http://127.0.0.1:${(failing.address() as AddressInfo).port}/x`;
      const first = await fetch(url);
      expect(first.status).toBe(500);
      expect(((await first.json()) as { code: string }).code).toBe("INTERNAL");
      expect((await fetch(url)).status).toBe(200);
    } finally {
      await new Promise<void>((done) => failing.close(() => done()));
    }
  });
});
