// Leaked keys reported from outside, over HTTP: GitHub secret scanning's signed partner requests
// (a P-256 key pair made for this test run; the server trusts its public half) and anyone's
// public report. A genuine key is blacklisted LEAKED at once, its owner told, the audit log
// and the webhooks told; nothing is blacklisted on a bad signature; a report never says whether
// the key existed; GitHub's key document being unreachable is a 503 to retry, not a 500. Prints
// the time a batch of 1,000 matches takes.
import { generateKeyPairSync, randomInt, sign } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checksum, generateKey } from "@/lib/keys/format";
import { startAppServer } from "@/server/app-server";
import { freePort } from "@/server/free-port";
import { closeTestDb, seedKey, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { expectProblemShape, verify } from "@/test-support/http";

afterAll(closeTestDb);

const TEST_KEY = `kw_KeywardSecretScanningTestKey00${checksum("KeywardSecretScanningTestKey00")}`;

function signed(
  body: string,
  privateKey = testEnv.scanningKey.privateKey,
  id = testEnv.scanningKey.id,
  baseUrl = testEnv.baseUrl,
) {
  return fetch(`${baseUrl}/api/v1/leaks/github`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "github-public-key-identifier": id,
      "github-public-key-signature": sign("sha256", Buffer.from(body), privateKey).toString("base64"),
    },
    body,
  });
}

const match = (token: string, url = "https://github.com/someone/repo/blob/main/.env") => ({
  token,
  type: "keyward_api_key",
  url,
  source: "content",
});

describe("GitHub secret scanning", () => {
  it("blacklists a genuine key as LEAKED, tells its owner, and answers GitHub's feedback array", async () => {
    const owner = await seedUser(testDb());
    const active = await seedKey(testDb(), { userId: owner.id, name: "leaked-in-repo" });
    const revoked = await seedKey(testDb(), { userId: owner.id, blacklist: { reason: "REVOKED" } });
    const unknown = generateKey("kw").plaintext;
    const body = JSON.stringify([
      match(active.plaintext),
      match(revoked.plaintext),
      match(unknown),
      match("kw_not-a-key"),
      match(TEST_KEY),
    ]);
    const response = await signed(body);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([
      { token_raw: active.plaintext, token_type: "keyward_api_key", label: "true_positive" },
      { token_raw: revoked.plaintext, token_type: "keyward_api_key", label: "true_positive" },
      { token_raw: unknown, token_type: "keyward_api_key", label: "false_positive" },
      { token_raw: "kw_not-a-key", token_type: "keyward_api_key", label: "false_positive" },
      { token_raw: TEST_KEY, token_type: "keyward_api_key", label: "false_positive" },
    ]);

    expect((await verify(active.plaintext)).body).toMatchObject({ code: "REVOKED", reason: "LEAKED" });
    const row = await testDb().blacklistedKey.findUniqueOrThrow({ where: { keyId: active.id } });
    expect(row).toMatchObject({ reason: "LEAKED", actorLabel: "GitHub secret scanning" });
    expect(row.note).toContain("https://github.com/someone/repo/blob/main/.env");
    expect((await testDb().blacklistedKey.findUniqueOrThrow({ where: { keyId: revoked.id } })).reason).toBe("LEAKED");
    const audit = await testDb().auditEvent.findFirstOrThrow({
      where: { keyId: active.id, action: "key.blacklisted" },
    });
    expect(audit.detail).toMatchObject({ reason: "LEAKED", via: "GitHub secret scanning" });
    // The owner hears of it at once (the notice is made from the key.leaked event).
    let notice = null;
    for (let i = 0; i < 50 && !notice; i++) {
      notice = await testDb().notification.findFirst({ where: { keyId: active.id, kind: "BLACKLISTED" } });
      if (!notice) await new Promise((r) => setTimeout(r, 100));
    }
    expect(notice).toMatchObject({ userId: owner.id, reason: "LEAKED" });
    // Reported again: still a true positive, nothing changes twice.
    expect(await (await signed(JSON.stringify([match(active.plaintext)]))).json()).toEqual([
      expect.objectContaining({ label: "true_positive" }),
    ]);
    expect(await testDb().keyEvent.count({ where: { keyId: active.id, type: "LEAKED" } })).toBe(1);
  });

  it("blacklists nothing without GitHub's signature: tampered body, wrong key, unknown identifier, none", async () => {
    const owner = await seedUser(testDb());
    const key = await seedKey(testDb(), { userId: owner.id });
    const body = JSON.stringify([match(key.plaintext)]);
    const stranger = generateKeyPairSync("ec", { namedCurve: "prime256v1" })
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString();
    const signatureOf = (bytes: string) =>
      sign("sha256", Buffer.from(bytes), testEnv.scanningKey.privateKey).toString("base64");
    const refused = [
      // Signed over another body than the one sent.
      await fetch(`${testEnv.baseUrl}/api/v1/leaks/github`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "github-public-key-identifier": testEnv.scanningKey.id,
          "github-public-key-signature": signatureOf("[]"),
        },
        body,
      }),
      await signed(body, stranger),
      await signed(body, undefined, "no-such-identifier"),
      await fetch(`${testEnv.baseUrl}/api/v1/leaks/github`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      }),
    ];
    expect(refused.map((r) => r.status)).toEqual([401, 401, 401, 401]);
    expect(await testDb().blacklistedKey.findUnique({ where: { keyId: key.id } })).toBeNull();
    expect((await verify(key.plaintext)).body.code).toBe("VALID");

    // The signature covers the raw bytes: the same JSON laid out differently, signed as sent,
    // is accepted (a server that re-serialised the JSON before checking would refuse it).
    const spaced = JSON.stringify([match(key.plaintext)], null, 2);
    expect((await signed(spaced)).status).toBe(200);
    expect((await testDb().blacklistedKey.findUniqueOrThrow({ where: { keyId: key.id } })).reason).toBe("LEAKED");
  });

  it("is off (404) where no public keys are configured", async () => {
    expect((await signed("[]", undefined, undefined, testEnv.limitedUrl)).status).toBe(404);
  });

  it("answers 503 with Retry-After while GitHub's key document cannot be fetched, and does not fetch it again meanwhile", async () => {
    // GitHub's key endpoint, down; and an instance of the app that fetches its keys from there.
    let fetches = 0;
    const github = createServer((req, res) => {
      fetches++;
      res.writeHead(502, { "content-type": "text/plain" }).end("Bad gateway");
    });
    await new Promise<void>((ready) => github.listen(0, "127.0.0.1", ready));
    const root = resolve(import.meta.dirname, "../..");
    const port = await freePort();
    const app = await startAppServer({
      root,
      port,
      logFile: join(root, "test-results/server-leaks-source-down.log"),
      env: {
        ...process.env,
        NODE_ENV: "production",
        APP_URL: `http://127.0.0.1:${port}`,
        AUTH_URL: undefined,
        SECRET_SCANNING_PUBLIC_KEYS: `http://127.0.0.1:${(github.address() as AddressInfo).port}/meta/public_keys/secret_scanning`,
      },
    });
    try {
      const answers = await Promise.all(Array.from({ length: 5 }, () => signed("[]", undefined, undefined, app.url)));
      expect(answers.map((a) => a.status)).toEqual([503, 503, 503, 503, 503]);
      for (const answer of answers) {
        expect(Number(answer.headers.get("retry-after"))).toBeGreaterThan(0);
        expectProblemShape(await answer.json(), 503);
      }
      const later = await signed("[]", undefined, undefined, app.url);
      expect(later.status).toBe(503);
      expect(fetches).toBe(1);
    } finally {
      await app.stop();
      await new Promise((done) => github.close(done));
    }
  });

  it("answers a batch of 1,000 matches well within GitHub's timeout (time printed)", async () => {
    const owner = await seedUser(testDb());
    const genuine = await Promise.all(Array.from({ length: 20 }, () => seedKey(testDb(), { userId: owner.id })));
    const matches = [
      ...genuine.map((k) => match(k.plaintext)),
      ...Array.from({ length: 980 }, () => match(generateKey("kw").plaintext)),
    ];
    const started = performance.now();
    const response = await signed(JSON.stringify(matches));
    const took = Math.round(performance.now() - started);
    const feedback = (await response.json()) as { label: string }[];
    console.log(`[leaks] 1,000 GitHub matches (20 genuine) answered in ${took} ms`);
    expect(feedback.filter((f) => f.label === "true_positive")).toHaveLength(20);
    expect(took).toBeLessThan(10_000);
  });
});

describe("public leak reports", () => {
  it("blacklist a genuine key LEAKED with the URL, and answer the same 202 for anything else", async () => {
    const owner = await seedUser(testDb());
    const key = await seedKey(testDb(), { userId: owner.id });
    const report = (body: unknown) =>
      fetch(`${testEnv.baseUrl}/api/v1/leaks/report`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const answers = await Promise.all([
      report({ key: key.plaintext, url: "https://pastebin.example.com/abc" }),
      report({ key: generateKey("kw").plaintext }),
      report({ key: "kw_garbage", url: "https://x.example" }),
    ]);
    const bodies = await Promise.all(answers.map((a) => a.text()));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    expect(new Set(bodies).size).toBe(1);
    const row = await testDb().blacklistedKey.findUniqueOrThrow({ where: { keyId: key.id } });
    expect(row).toMatchObject({ reason: "LEAKED", actorLabel: "public leak report" });
    expect(row.note).toContain("https://pastebin.example.com/abc");
  });

  it("are rate-limited per client", async () => {
    const client = `198.22.${randomInt(255)}.${randomInt(1, 255)}`;
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      const response = await fetch(`${testEnv.limitedUrl}/api/v1/leaks/report`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": client },
        body: JSON.stringify({ key: generateKey("kw").plaintext }),
      });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([202, 202, 202, 429]);
  });
});
