// A seeded fuzz of every route and page (test-support/routes.ts: the routes' declarations, and the
// pages): generated bodies, query strings, path segments and headers, sent as anonymous, user and
// admin callers. Any 5xx fails, and so does a page that renders the error boundary under a 200. A
// failure prints the seed and the request, so it reproduces: FUZZ_SEED=<seed> npm test --
// integration fuzz. FUZZ_CASES sets the count.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeTestDb, seedKey, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { signIn, type Session } from "@/test-support/http";
import { fill, ROUTES, type Method, type RouteSpec } from "@/test-support/routes";

const SEED = Number(process.env.FUZZ_SEED ?? 20261129);
const CASES = Number(process.env.FUZZ_CASES ?? 3000);
const CONCURRENCY = 6;
/** FUZZ_ROUTES=/api/v1/keys,/keys narrows the fuzz to routes whose path starts with one of these. */
const ONLY = process.env.FUZZ_ROUTES?.split(",");
const routes = ONLY ? ROUTES.filter((r) => ONLY.some((prefix) => r.path.startsWith(prefix))) : ROUTES;

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof prng>;

// Text that has broken web apps somewhere: NUL, lone surrogates, control and bidi characters,
// encodings of traversal, huge and numeric-looking strings, markup and SQL.
const HOSTILE_TEXT = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udfffy",
  "\r\n",
  "\t",
  "\u202e",
  "\uffff",
  "😀",
  "%00",
  "%ZZ",
  "%",
  "%ff",
  "%c0%af",
  "../../etc/passwd",
  "..",
  "\\",
  "/\t/evil.example",
  "//evil.example",
  "http://evil.example/",
  "javascript:alert(1)",
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  '"; DROP TABLE "ApiKey"; --',
  "1e12",
  "-1",
  "0",
  "NaN",
  "Infinity",
  "null",
  "true",
  "[]",
  "{}",
  "kw_",
  "kw_0000000000000000000000000000000000000000",
  "x".repeat(300),
  "é".repeat(2000),
];

function hostileValue(rng: Rng, depth = 0): unknown {
  switch (rng.int(depth > 2 ? 6 : 9)) {
    case 0:
    case 1:
    case 2:
      return rng.pick(HOSTILE_TEXT);
    case 3:
      return rng.pick([0, -1, 1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 7, 30, 45]);
    case 4:
      return rng.pick([true, false, null]);
    case 5:
      return rng.pick(HOSTILE_TEXT) + rng.pick(HOSTILE_TEXT);
    case 6:
      return Array.from({ length: rng.int(4) }, () => hostileValue(rng, depth + 1));
    case 7:
      return Object.fromEntries(
        Array.from({ length: rng.int(4) }, () => [
          rng.pick(["type", "days", "date", "a", "__proto__", "constructor"]),
          hostileValue(rng, depth + 1),
        ]),
      );
    default:
      return rng.pick(HOSTILE_TEXT).repeat(rng.int(50) + 1);
  }
}

function body(rng: Rng, spec: RouteSpec): { text: string | undefined; type: string | undefined } {
  const type = rng.pick([
    "application/json",
    "application/json",
    "application/json",
    "application/x-www-form-urlencoded",
    "text/plain",
    undefined,
  ]);
  if (rng.chance(0.15))
    return { text: rng.pick(["{", "[1,", "null", '"x"', "\u0000", '{"a":1}}', "x".repeat(20_000)]), type };
  const fields = Object.entries(spec.body ?? {});
  const object: Record<string, unknown> = {};
  for (const [name, samples] of fields) {
    if (rng.chance(0.3)) continue;
    object[name] = rng.chance(0.5) ? rng.pick(samples) : hostileValue(rng);
  }
  if (rng.chance(0.2)) object[rng.pick(["extra", "hash", "userId", "role", "__proto__"])] = hostileValue(rng);
  if (type === "application/x-www-form-urlencoded") {
    return { text: new URLSearchParams(Object.entries(object).map(([k, v]) => [k, String(v)])).toString(), type };
  }
  return { text: JSON.stringify(rng.chance(0.1) ? hostileValue(rng) : object), type };
}

/** Query values go on the wire raw (not re-encoded), so broken escapes reach the server. */
function query(rng: Rng, spec: RouteSpec): string {
  const pairs: string[] = [];
  for (const [name, samples] of Object.entries(spec.query ?? {})) {
    if (rng.chance(0.5)) continue;
    pairs.push(
      `${name}=${rng.chance(0.5) ? encodeURIComponent(rng.pick(samples)) : rawOrEncoded(rng, String(hostileValue(rng)))}`,
    );
  }
  if (rng.chance(0.1))
    pairs.push(`${rawOrEncoded(rng, rng.pick(HOSTILE_TEXT))}=${rawOrEncoded(rng, rng.pick(HOSTILE_TEXT))}`);
  if (rng.chance(0.05)) pairs.push("page=1e12", "page=2");
  return pairs.length ? `?${pairs.join("&")}` : "";
}

function rawOrEncoded(rng: Rng, text: string): string {
  const raw = /^[%A-Za-z0-9._~-]*$/.test(text);
  return raw && rng.chance(0.5) ? text : encodeURIComponent(text.replace(/[\ud800-\udfff]/g, "\ufffd"));
}

function segment(rng: Rng, ids: string[]): string {
  if (rng.chance(0.5)) return rng.pick(ids);
  return rng.pick([
    "%ZZ",
    "%",
    "%ff",
    "%c0%af",
    "%00",
    "%2e%2e",
    "..",
    "x".repeat(3000),
    "null",
    "0",
    "-1",
    "%0a",
    "%E2%80%AE",
    encodeURIComponent("😀"),
    "a%2fb",
  ]);
}

interface Case {
  method: Method;
  url: string;
  headers: Record<string, string>;
  text: string | undefined;
  page: boolean;
}

function makeCase(rng: Rng, ids: string[], sessions: (Session | null)[]): Case {
  const spec = rng.pick(routes);
  const method = rng.chance(0.9) ? rng.pick(spec.methods) : rng.pick<Method>(["GET", "POST", "PATCH", "PUT", "DELETE"]);
  const path = fill(spec.path, "§").replaceAll("§", () => segment(rng, ids));
  const headers: Record<string, string> = {};
  const session = rng.pick(sessions);
  if (session) headers.cookie = session.cookie;
  if (spec.access === "key" && rng.chance(0.7))
    headers[rng.pick(["authorization", "x-api-key"])] = rng.chance(0.5)
      ? `Bearer ${rng.pick(HOSTILE_TEXT)}`
      : rng.pick(HOSTILE_TEXT);
  // API tokens on every route that takes them (and the verify route's verifiers): real ones and garbage.
  if (["user", "admin", "token", "verifier"].includes(spec.access) && rng.chance(0.3)) {
    headers.authorization = `Bearer ${rng.chance(0.5) ? rng.pick(tokens) : rng.pick(HOSTILE_TEXT)}`;
  }
  if (spec.access === "cron" && rng.chance(0.7))
    headers.authorization = rng.pick([`Bearer ${rng.pick(HOSTILE_TEXT)}`, "Basic x", `Bearer ${testEnv.cronSecret}x`]);
  if (rng.chance(0.1))
    headers["x-forwarded-for"] = rng.pick(["1.2.3.4", "x".repeat(15_000), "::1, 10.0.0.1", "\u00ff"]);
  let text: string | undefined;
  if (method !== "GET" && (spec.body || rng.chance(0.3))) {
    const generated = body(rng, spec);
    text = generated.text;
    if (generated.type) headers["content-type"] = generated.type;
  }
  // fetch refuses to send what no HTTP client may send (control characters, non-Latin-1, edge
  // whitespace); Node's HTTP parser would refuse it before Keyward anyway (server/front.test.ts).
  for (const [name, value] of Object.entries(headers))
    if (!/^[\u0021-\u00ff]([\u0020-\u00ff]*[\u0021-\u00ff])?$/.test(value)) delete headers[name];
  return {
    method,
    url: `${testEnv.baseUrl}${path}${spec.kind === "page" || spec.query ? query(rng, spec) : ""}`,
    headers,
    text,
    page: spec.kind === "page",
  };
}

/** status 0: no usable answer (the connection failed, or the headers were absurdly large). */
async function send(c: Case): Promise<{ status: number; text: string }> {
  try {
    const response = await fetch(c.url, { method: c.method, headers: c.headers, body: c.text, redirect: "manual" });
    return { status: response.status, text: await response.text() };
  } catch (error) {
    return { status: 0, text: String((error as Error).cause ?? error) };
  }
}

let sessions: (Session | null)[];
let ids: string[];
let tokens: string[];

beforeAll(async () => {
  const db = testDb();
  const user = await seedUser(db);
  const admin = await seedUser(db, { role: "ADMIN" });
  const other = await seedUser(db);
  const own = await seedKey(db, { userId: user.id });
  const adminKey = await seedKey(db, { userId: admin.id });
  const stranger = await seedKey(db, { userId: other.id });
  ids = [own.id, adminKey.id, stranger.id];
  sessions = [null, await signIn(user.email, user.password), await signIn(admin.email, admin.password)];
  // Real API tokens: a person's with every scope they may hold, an admin's with the admin scopes.
  const made = async (session: Session, scopes: string[]) => {
    const response = await session.request("POST", "/api/v1/tokens", {
      name: "fuzz",
      scopes,
      expiry: { type: "days", days: 7 },
    });
    return ((await response.json()) as { plaintext: string }).plaintext;
  };
  tokens = [
    await made(sessions[1]!, [
      "keys:read",
      "keys:write",
      "teams:read",
      "teams:write",
      "webhooks:read",
      "webhooks:write",
      "usage:read",
      "audit:read",
      "verify",
      "tokens:read",
      "tokens:write",
    ]),
    await made(sessions[2]!, ["admin:read", "admin:write", "keys:read", "verify"]),
    "kwt_000000000000000000000000000000000000",
  ];
});
afterAll(closeTestDb);

describe(`fuzz (seed ${SEED}, ${CASES} cases)`, () => {
  it("no route answers 5xx, and no page renders its error boundary", async () => {
    const rng = prng(SEED);
    const cases = Array.from({ length: CASES }, () => makeCase(rng, ids, sessions));
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < cases.length; i = next++) {
        const c = cases[i]!;
        const { status, text } = await send(c);
        const brokenPage =
          c.page && status === 200 && /Something went wrong|Application error|data-dgst|"digest"/.test(text);
        if (status >= 500 || status === 0 || brokenPage) {
          failures.push(
            `#${i} ${c.method} ${c.url.slice(0, 300)} → ${status || text}${brokenPage ? " (error page)" : ""}\n  headers ${JSON.stringify(c.headers).slice(0, 300)}\n  body ${JSON.stringify(c.text)?.slice(0, 300)}`,
          );
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(failures, `seed ${SEED}: ${failures.length} failing cases\n${failures.slice(0, 15).join("\n")}`).toEqual([]);
  }, 600_000);
});
