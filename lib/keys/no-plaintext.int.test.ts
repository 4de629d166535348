// Rule 4: no raw key is ever stored or logged. Issue, verify, gate, revoke and blacklist a key,
// then search every column of every table and the server's whole log for its plaintext.
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { closeTestDb, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { signIn, sleep, verify } from "@/test-support/http";
import { hashKey } from "./format";

afterAll(closeTestDb);

describe("the plaintext key", () => {
  it("is in no database column and no log line", async () => {
    const db = testDb();
    const user = await seedUser(db, { role: "ADMIN" });
    const session = await signIn(user.email, user.password);
    const response = await session.request("POST", "/api/v1/keys", {
      name: "secret-check",
      scopes: ["read"],
      expiry: { type: "days", days: 7 },
    });
    const { plaintext, key } = (await response.json()) as { plaintext: string; key: { id: string } };
    await verify(plaintext);
    await verify(plaintext, "write");
    await fetch(`${testEnv.baseUrl}/api/v1/protected/whoami`, { headers: { authorization: `Bearer ${plaintext}` } });
    await session.request("POST", `/api/v1/keys/${key.id}/rotate`, { grace: "1h" });
    await session.request("POST", "/api/v1/admin/blacklist", { key: plaintext, reason: "LEAKED", note: "test" });
    await verify(plaintext);
    await sleep(500); // let the usage flush and any logging happen

    const tables = await db.$queryRaw<{ table_name: string }[]>`
      SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`;
    expect(tables.length).toBeGreaterThanOrEqual(7);
    let dump = "";
    for (const { table_name } of tables) {
      const rows = await db.$queryRawUnsafe<{ row: unknown }[]>(`SELECT row_to_json(t) AS row FROM "${table_name}" t`);
      dump += JSON.stringify(rows);
    }
    expect(dump).toContain(hashKey(plaintext)); // the search is real: the key's hash is there
    expect(dump).not.toContain(plaintext);
    expect(dump).not.toContain(plaintext.slice(3)); // not even without its prefix

    const log = readFileSync(testEnv.serverLog, "utf8");
    expect(log.length).toBeGreaterThan(0);
    expect(log).not.toContain(plaintext.slice(3));
  });
});
