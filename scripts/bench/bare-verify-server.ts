// The floor without the framework: node:http + pg doing the same verification as the verify
// route (format check, SHA-256, one indexed lookup, the same verdict), no cache. Started by
// scripts/bench/verify.ts as its own process.
import { createServer } from "node:http";
import pg from "pg";
import { evaluateKey, type KeyRecord } from "../../lib/keys/check/evaluate-key";
import { checkKeyFormat, hashKey } from "../../lib/keys/format";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const appUrl = process.env.APP_URL ?? "http://localhost:3000";

/** Owners' names, kept as Keyward keeps them (lib/keys/check/owner-name-cache.ts), but never expiring. */
const ownerNames = new Map<string, string>();
async function ownerName(type: "user" | "team", id: string): Promise<string> {
  const known = ownerNames.get(id);
  if (known !== undefined) return known;
  const { rows } = await pool.query(
    type === "team"
      ? `SELECT name FROM "Team" WHERE id = $1`
      : `SELECT COALESCE(name, email) AS name FROM "User" WHERE id = $1`,
    [id],
  );
  const name = (rows[0]?.name as string | undefined) ?? "";
  ownerNames.set(id, name);
  return name;
}

async function verify(key: string, scope: string | undefined) {
  if (checkKeyFormat(key, "kw")) return { valid: false, code: "MALFORMED", message: "malformed" };
  const { rows } = await pool.query(
    `SELECT k.id, k."userId", k."teamId", k.name, k.scopes, k."expiresAt", k."graceEndsAt", b.reason, b."blacklistedAt"
     FROM "ApiKey" k LEFT JOIN "BlacklistedKey" b ON b."keyId" = k.id
     WHERE k.hash = $1`,
    [hashKey(key)],
  );
  const row = rows[0];
  if (!row) return { valid: false, code: "NOT_FOUND", message: "not found" };
  const [type, id] = row.teamId ? (["team", row.teamId] as const) : (["user", row.userId] as const);
  const record: KeyRecord = {
    id: row.id,
    kind: "KEY",
    issuedById: null,
    owner: { type, id, name: await ownerName(type, id) },
    name: row.name,
    scopes: row.scopes,
    expiresAt: row.expiresAt,
    graceEndsAt: row.graceEndsAt,
    blacklist: row.reason ? { reason: row.reason, at: row.blacklistedAt } : null,
    limits: { rate: null, allowIp: null, usageCap: null, usageCount: 0 },
  };
  return evaluateKey(record, new Date(), scope, appUrl);
}

createServer((req, res) => {
  let body = "";
  req.on("data", (chunk) => (body += chunk));
  req.on("end", () => {
    const { key, scope } = JSON.parse(body) as { key: string; scope?: string };
    verify(key, scope).then(
      (result) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(result)),
      () => res.writeHead(400).end(),
    );
  });
}).listen(Number(process.env.PORT), "127.0.0.1", () => console.log("ready"));
