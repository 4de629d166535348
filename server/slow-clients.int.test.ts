// Slow and greedy clients against Keyward's own HTTP server (server/main.ts), started here with
// short timeouts and a small per-client bound: a client that trickles its headers or its body, or
// keeps an idle connection, is cut when its time is up; an address that opens too many
// connections gets no more; and everyone else is answered throughout. The clients come from
// different loopback addresses, which the server sees as different clients.
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { connect, type Socket } from "node:net";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppServer } from "@/server/app-server";
import { startInstances } from "@/test-support/app-instances";
import { testEnv } from "@/test-support/env";
import { sleep } from "@/test-support/http";

const HEADERS_MS = 2000;
const REQUEST_MS = 3000;
const KEEP_ALIVE_MS = 2000;
const MAX_CONNECTIONS = 5;
/** Node checks timeouts once a second (server/main.ts) and gives kept-alive connections 1 s more. */
const SLACK_MS = 2000;

const GREEDY = "127.0.0.2";
const OTHER = "127.0.0.3";
const PROXY = "127.0.0.1";

let server: AppServer;
const log = () =>
  readFileSync(join(resolve(import.meta.dirname, ".."), "test-results/server-slow-clients-1.log"), "utf8");

beforeAll(async () => {
  const [started] = await startInstances("slow-clients", 1, testEnv.databaseUrl, {
    HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_MS),
    HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_MS),
    HTTP_KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_MS),
    HTTP_MAX_CONNECTIONS_PER_CLIENT: String(MAX_CONNECTIONS),
    TRUSTED_PROXIES: PROXY,
  });
  server = started!;
});
afterAll(async () => {
  await server?.stop();
});

interface Connection {
  socket: Socket;
  /** Everything the server sent so far. */
  received(): string;
  /** Milliseconds from the connection to its close by the server, or null if still open after `waitMs`. */
  closedWithin(waitMs: number): Promise<number | null>;
}

/** A raw TCP connection from `from`, so the test writes exactly the bytes a slow client would. */
function open(from: string): Promise<Connection> {
  return new Promise((ready, fail) => {
    const socket = connect({ host: "127.0.0.1", port: server.port, localAddress: from });
    let text = "";
    socket.on("data", (chunk: Buffer) => (text += chunk.toString()));
    socket.on("error", () => undefined); // a refused connection is reset: the test reads that from `closed`
    const closed = new Promise<number>((done) => socket.once("close", () => done(Date.now() - opened)));
    let opened = 0;
    socket.once("connect", () => {
      opened = Date.now();
      ready({
        socket,
        received: () => text,
        closedWithin: (waitMs) => Promise.race([closed, sleep(waitMs).then(() => null)]),
      });
    });
    socket.once("error", fail);
  });
}

const GET_PING = "GET /api/ping HTTP/1.1\r\nHost: keyward.test\r\n\r\n";

/** A kept-alive connection from `from` that has had one answer: the server has counted it. */
async function answered(from: string): Promise<Connection> {
  const connection = await open(from);
  connection.socket.write(GET_PING);
  for (let waited = 0; !connection.received().includes("\r\n\r\n") && waited < 5000; waited += 20) await sleep(20);
  return connection;
}

/** Statuses and the slowest answer of GET /api/ping from `from`, asked every 100 ms until stopped. */
function keepAsking(from: string): { stop(): Promise<{ statuses: number[]; slowestMs: number }> } {
  const statuses: number[] = [];
  let slowestMs = 0;
  let running = true;
  const ask = () =>
    new Promise<void>((done) => {
      const started = Date.now();
      const req = request(
        { host: "127.0.0.1", port: server.port, localAddress: from, path: "/api/ping", agent: false, timeout: 5000 },
        (res) => {
          res.resume();
          res.on("end", () => {
            statuses.push(res.statusCode ?? 0);
            slowestMs = Math.max(slowestMs, Date.now() - started);
            done();
          });
        },
      );
      req.on("timeout", () => req.destroy(new Error("no answer within 5 s")));
      req.on("error", () => {
        statuses.push(0);
        done();
      });
      req.end();
    });
  const loop = (async () => {
    while (running) await Promise.all([ask(), sleep(100)]);
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { statuses, slowestMs };
    },
  };
}

function expectAllAnswered(asked: { statuses: number[]; slowestMs: number }) {
  expect(asked.statuses.length).toBeGreaterThan(2);
  expect(
    asked.statuses.every((status) => status === 200),
    `statuses: ${asked.statuses.join(",")}`,
  ).toBe(true);
  expect(asked.slowestMs).toBeLessThan(2000);
}

describe("slow and greedy clients", () => {
  it("cuts a client that sends part of its headers and then nothing, and answers others meanwhile", async () => {
    const others = keepAsking(OTHER);
    const slow = await open(GREEDY);
    slow.socket.write("GET /api/ping HTTP/1.1\r\nHost: keyward.test\r\n");
    const closedAfter = await slow.closedWithin(HEADERS_MS + SLACK_MS + 1000);
    slow.socket.destroy();
    expect(closedAfter, `still open ${HEADERS_MS + SLACK_MS + 1000} ms later`).not.toBeNull();
    expect(closedAfter!).toBeGreaterThanOrEqual(HEADERS_MS - 100);
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408 /);
    expectAllAnswered(await others.stop());
  });

  it("cuts a request whose body trickles in for longer than the request may take", async () => {
    const others = keepAsking(OTHER);
    const slow = await open(GREEDY);
    slow.socket.write(
      "POST /api/ping HTTP/1.1\r\nHost: keyward.test\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n",
    );
    // A byte every 200 ms: never idle, and never done.
    const trickle = setInterval(() => slow.socket.writable && slow.socket.write("x"), 200);
    const closedAfter = await slow.closedWithin(REQUEST_MS + SLACK_MS + 1000);
    clearInterval(trickle);
    slow.socket.destroy();
    expect(closedAfter, `still open ${REQUEST_MS + SLACK_MS + 1000} ms later`).not.toBeNull();
    expect(closedAfter!).toBeGreaterThanOrEqual(REQUEST_MS - 100);
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408 /);
    expectAllAnswered(await others.stop());
  });

  it("closes a kept-alive connection left idle", async () => {
    const idle = await answered(GREEDY);
    expect(idle.received()).toMatch(/^HTTP\/1\.1 200 /);
    const closedAfter = await idle.closedWithin(KEEP_ALIVE_MS + SLACK_MS + 1000);
    idle.socket.destroy();
    expect(closedAfter, `still open ${KEEP_ALIVE_MS + SLACK_MS + 1000} ms later`).not.toBeNull();
    expect(closedAfter!).toBeGreaterThanOrEqual(KEEP_ALIVE_MS - 100);
  });

  it("refuses an address's connections past the bound, and nobody else's", async () => {
    const others = keepAsking(OTHER);
    const held = await Promise.all(Array.from({ length: MAX_CONNECTIONS }, () => answered(GREEDY)));
    try {
      for (const connection of held) expect(connection.received()).toMatch(/^HTTP\/1\.1 200 /);
      const extra = await open(GREEDY);
      extra.socket.write(GET_PING);
      expect(await extra.closedWithin(1000), "the connection past the bound stayed open").not.toBeNull();
      expect(extra.received()).toBe("");
      // The operator learns why, once, in case the "client" is a proxy nobody named.
      for (let waited = 0; !log().includes(`refusing connections from ${GREEDY}`) && waited < 2000; waited += 50)
        await sleep(50);
      expect(log()).toContain(`refusing connections from ${GREEDY}`);

      // The trusted proxy carries many clients: it may hold more.
      const proxied = await Promise.all(Array.from({ length: MAX_CONNECTIONS + 3 }, () => answered(PROXY)));
      for (const connection of proxied) expect(connection.received()).toMatch(/^HTTP\/1\.1 200 /);
      for (const connection of proxied) connection.socket.destroy();

      // One closed, one more may come.
      held.pop()!.socket.destroy();
      await sleep(200);
      held.push(await answered(GREEDY));
      expect(held.at(-1)!.received()).toMatch(/^HTTP\/1\.1 200 /);
    } finally {
      for (const connection of held) connection.socket.destroy();
    }
    expectAllAnswered(await others.stop());
  });
});
