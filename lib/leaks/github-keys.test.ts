// GitHub's secret-scanning public keys from a URL, against a real local server standing in for
// api.github.com/meta/public_keys/secret_scanning, which counts its fetches and fails on demand.
// The source's clock is the test's, so windows and back-offs pass without waiting.
import { generateKeyPairSync } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { KeywardError } from "@/lib/errors";
import { freePort } from "@/server/free-port";
import { publicKeySource } from "./github-keys";

const publicPem = () =>
  generateKeyPairSync("ec", { namedCurve: "prime256v1" }).publicKey.export({ type: "spki", format: "pem" }).toString();
const current = { key_identifier: "current", key: publicPem(), is_current: true };
const rotatedIn = { key_identifier: "rotated-in", key: publicPem(), is_current: true };

const github = { fetches: 0, status: 200, keys: [current], hold: Promise.resolve() };
let server: Server;
let url: string;
let now = 0;
const clock = { now: () => now };

beforeAll(async () => {
  server = createServer((req, res) => {
    github.fetches++;
    void github.hold.then(() => {
      if (github.status !== 200)
        return res.writeHead(github.status, { "content-type": "text/plain" }).end("GitHub is having a bad day");
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ public_keys: github.keys }));
    });
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/meta/public_keys/secret_scanning`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));
beforeEach(() => {
  Object.assign(github, { fetches: 0, status: 200, keys: [current], hold: Promise.resolve() });
  now = Date.parse("2026-03-01T12:00:00Z");
});

/** Holds GitHub's answers until the returned function is called. */
function holdAnswers(): () => void {
  let release!: () => void;
  github.hold = new Promise((r) => (release = r));
  return release;
}

/** The KeywardError a call was refused with (fails the test if it was not refused). */
async function refusal(call: Promise<unknown>): Promise<KeywardError> {
  const error = await call.then(
    (value) => new Error(`expected a refusal, got ${JSON.stringify(value)}`),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(KeywardError);
  return error as KeywardError;
}

const MINUTE = 60_000;

describe("GitHub's secret-scanning public keys from a URL", () => {
  it("are fetched once for many callers at once, and an unknown identifier inside the window costs no fetch", async () => {
    const source = publicKeySource(url, clock);
    const release = holdAnswers();
    const answers = Promise.all(
      Array.from({ length: 20 }, (_, i) => source.keyFor(i % 2 ? "current" : `made-up-${i}`)),
    );
    await new Promise((r) => setTimeout(r, 100)); // every caller is waiting on the one fetch
    release();
    expect((await answers).map((pem) => pem !== null)).toEqual(Array.from({ length: 20 }, (_, i) => i % 2 === 1));
    expect(github.fetches).toBe(1);

    // Made-up identifiers, then and a few minutes on: answered (null, so 401) from what is held.
    now += 4 * MINUTE;
    expect(await Promise.all([source.keyFor("made-up"), source.keyFor("another"), source.keyFor("current")])).toEqual([
      null,
      null,
      current.key,
    ]);
    expect(github.fetches).toBe(1);

    // Past the window, an identifier GitHub rotated in is fetched, once.
    github.keys = [current, rotatedIn];
    now += 2 * MINUTE;
    expect(await Promise.all([source.keyFor("rotated-in"), source.keyFor("rotated-in")])).toEqual([
      rotatedIn.key,
      rotatedIn.key,
    ]);
    expect(github.fetches).toBe(2);
  });

  it("remember a source that is down: 503 with Retry-After, no fetch before then, backing off longer each time", async () => {
    github.status = 500;
    const source = publicKeySource(url, clock);
    const release = holdAnswers();
    const firstRound = Promise.all(Array.from({ length: 10 }, () => refusal(source.keyFor("current"))));
    await new Promise((r) => setTimeout(r, 100));
    release();
    const first = await firstRound;
    expect(github.fetches).toBe(1);
    for (const error of first) expect(error).toMatchObject({ code: "SERVICE_UNAVAILABLE", status: 503 });
    const wait1 = first[0]!.retryAfterSeconds!;
    expect(wait1).toBeGreaterThan(0);

    // Inside the back-off every caller is answered at once, without a fetch.
    now += wait1 * 1000 - 1000;
    const meanwhile = await refusal(source.keyFor("current"));
    expect(meanwhile).toMatchObject({ code: "SERVICE_UNAVAILABLE", retryAfterSeconds: 1 });
    expect(github.fetches).toBe(1);

    // Then one more try; failing again, the next wait is longer.
    now += 1000;
    const second = await refusal(source.keyFor("current"));
    expect(github.fetches).toBe(2);
    expect(second.retryAfterSeconds).toBeGreaterThan(wait1);

    // Back up: the next try after the wait succeeds, and the keys are held again.
    github.status = 200;
    now += second.retryAfterSeconds! * 1000;
    expect(await source.keyFor("current")).toBe(current.key);
    expect(await source.keyFor("made-up")).toBeNull();
    expect(github.fetches).toBe(3);
  });

  it("keep answering for the keys they hold while the source is down; an unknown identifier then is 503, not a guess", async () => {
    const source = publicKeySource(url, clock);
    expect(await source.keyFor("current")).toBe(current.key);
    github.status = 503;
    now += 10 * MINUTE;
    expect(await refusal(source.keyFor("rotated-in"))).toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    expect(await source.keyFor("current")).toBe(current.key);
    expect(await refusal(source.keyFor("rotated-in"))).toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    expect(github.fetches).toBe(2);
  });

  it("answer 503 when nothing listens there, or what answers is not the document", async () => {
    const closed = publicKeySource(`http://127.0.0.1:${await freePort()}/meta/public_keys/secret_scanning`, clock);
    expect(await refusal(closed.keyFor("current"))).toMatchObject({ code: "SERVICE_UNAVAILABLE" });

    github.keys = [{ nonsense: true } as unknown as typeof current];
    const garbled = publicKeySource(url, clock);
    expect(await refusal(garbled.keyFor("current"))).toMatchObject({ code: "SERVICE_UNAVAILABLE" });
  });
});
