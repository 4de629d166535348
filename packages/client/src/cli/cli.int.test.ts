// `keyward` run as a child process against the real server over HTTP: login's config file and
// its modes, --write-env creating and replacing the line, --if-expires-within, --json, and the
// exit codes. The commands that manage keys and tokens need an API token: those tests create one
// through POST /api/v1/tokens with a signed-in session, as a person would in the portal.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generateKey } from "@/lib/keys/format";
import { closeTestDb, seedKey, seedToken, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { signIn, verify, type Session } from "@/test-support/http";
import { freePort } from "@/server/free-port";
import { buildPackage } from "../../test-support/build";
import { runCli } from "../../test-support/run-cli";
import { createToken } from "../../test-support/tokens";

const DAY = 86_400_000;
const KEY_RE = /kw_[0-9A-Za-z]{36}/;
const TOKEN_RE = /kwt_[0-9A-Za-z]{36}/;

let work: string;
let cli: string;
let owner: Awaited<ReturnType<typeof seedUser>>;
let session: Session;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "keyward-cli-"));
  cli = buildPackage(join(work, "dist")).cli;
  owner = await seedUser(testDb());
  session = await signIn(owner.email, owner.password);
}, 120_000);
afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  await closeTestDb();
});

/** A home of its own for each test: the config file is the user's, never shared between tests. */
function home(): { dir: string; env: Record<string, string> } {
  const dir = mkdtempSync(join(work, "home-"));
  return { dir, env: { HOME: dir, XDG_CONFIG_HOME: join(dir, "xdg") } };
}

function keyward(args: string[], env: Record<string, string>, input?: string) {
  return runCli(cli, args, { env, input, cwd: work });
}

describe("keyward without a token", () => {
  it("prints help (exit 0), and exits 2 for no command, an unknown one, or an unknown option", async () => {
    const { env } = home();
    const help = await keyward(["--help"], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/keys rotate <id>/);
    expect(help.stdout).toMatch(/Exit codes: 0 ok/);
    expect((await keyward([], env)).code).toBe(2);
    const unknown = await keyward(["keys", "frobnicate"], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/not a command; try "keys list"/);
    expect((await keyward(["keys", "list", "--colour"], env)).code).toBe(2);
  });

  it("login saves URL and token in $XDG_CONFIG_HOME/keyward/config.json, 0600 in a 0700 folder", async () => {
    const { dir, env } = home();
    const token = generateKey("kwt").plaintext;
    const result = await keyward(["login", "--url", `${testEnv.baseUrl}/`, "--token", token], env);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain(token);
    const file = join(dir, "xdg/keyward/config.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "xdg/keyward")).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ url: testEnv.baseUrl, token });
  });

  it("login falls back to ~/.config/keyward, reads `--token -` from stdin, and refuses a malformed token (exit 2, nothing saved)", async () => {
    const { dir } = home();
    const env = { HOME: dir };
    const token = generateKey("kwt").plaintext;
    expect((await keyward(["login", "--url", testEnv.baseUrl, "--token", "-"], env, `${token}\n`)).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, ".config/keyward/config.json"), "utf8")).token).toBe(token);

    const other = home();
    const typo = await keyward(
      ["login", "--url", testEnv.baseUrl, "--token", `${token.slice(0, -1)}${token.endsWith("x") ? "y" : "x"}`],
      other.env,
    );
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/checksum/);
    const key = await keyward(["login", "--url", testEnv.baseUrl, "--token", generateKey("kw").plaintext], other.env);
    expect(key.stderr).toMatch(/API key \(kw_…\), not an API token/);
    expect(existsSync(join(other.dir, "xdg/keyward/config.json"))).toBe(false);
  });

  it("exits 3 with no credentials anywhere, and 3 when Keyward refuses the token (401), --json putting the problem on stderr", async () => {
    const { env } = home();
    const none = await keyward(["keys", "list"], env);
    expect(none.code).toBe(3);
    expect(none.stderr).toMatch(/keyward login/);
    const refused = await keyward(["keys", "list", "--json"], {
      ...env,
      KEYWARD_URL: testEnv.baseUrl,
      KEYWARD_TOKEN: generateKey("kwt").plaintext,
    });
    expect(refused.code).toBe(3);
    expect(refused.stdout).toBe("");
    expect(JSON.parse(refused.stderr)).toMatchObject({ error: { status: 401, code: "UNAUTHORIZED" } });
  });

  it("exits 1 when Keyward cannot be reached", async () => {
    const { env } = home();
    const result = await keyward(["keys", "show", "x"], {
      ...env,
      KEYWARD_URL: `http://127.0.0.1:${await freePort()}`,
      KEYWARD_TOKEN: generateKey("kwt").plaintext,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/could not reach Keyward.*ECONNREFUSED/);
  });

  it("refuses to rotate or issue when the new secret would go nowhere (exit 2, before asking anything)", async () => {
    const { env } = home();
    // A closed port: had the command called Keyward, it would have exited 1.
    const closed = {
      ...env,
      KEYWARD_URL: `http://127.0.0.1:${await freePort()}`,
      KEYWARD_TOKEN: generateKey("kwt").plaintext,
    };
    const rotate = await keyward(["keys", "rotate", "some-id", "--grace", "24h"], closed);
    expect(rotate.code).toBe(2);
    expect(rotate.stderr).toMatch(/--write-env FILE:VARIABLE.*--show-secret/);
    expect((await keyward(["keys", "issue", "--name", "x", "--scopes", "read"], closed)).code).toBe(2);
    expect((await keyward(["keys", "rotate", "some-id", "--grace", "1w", "--show-secret"], closed)).code).toBe(2);
    expect((await keyward(["keys", "rotate", "some-id", "--write-env", ".env"], closed)).code).toBe(2);
  });
});

describe("keyward with an API token (needs the token routes, issue 20 parts 1–2)", () => {
  let env: Record<string, string>;
  let made: Promise<Record<string, string>> | undefined;

  // Made by the first test that needs it, not in beforeAll: without the token routes each test
  // then fails on its own, saying why, instead of the whole group being reported skipped.
  beforeEach(async () => {
    // 30 days: a token makes only tokens that expire no later than itself.
    made ??= createToken(session, ["keys:read", "keys:write", "tokens:read", "tokens:write"], {
      type: "days",
      days: 30,
    }).then((token) => ({
      ...home().env,
      KEYWARD_URL: testEnv.baseUrl,
      KEYWARD_TOKEN: token.plaintext,
    }));
    env = await made;
  });

  it("keys list and show, as tables and as --json", async () => {
    const key = await seedKey(testDb(), { userId: owner.id, name: "cli listed" });
    const list = await keyward(["keys", "list", "--json"], env);
    expect(list.code, list.stderr).toBe(0);
    expect((JSON.parse(list.stdout) as { items: { id: string }[] }).items.map((k) => k.id)).toContain(key.id);
    const table = await keyward(["keys", "list"], env);
    expect(table.stdout).toMatch(/^ID\s+NAME\s+KEY\s+STATUS/);
    expect(table.stdout).toContain("cli listed");
    const show = await keyward(["keys", "show", key.id], env);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/status\s+ACTIVE/);
    expect(JSON.parse((await keyward(["keys", "show", key.id, "--json"], env)).stdout)).toMatchObject({
      id: key.id,
      name: "cli listed",
    });
  });

  it("keys rotate --grace 24h --write-env replaces that one line, keeps the others and the mode, and prints no secret", async () => {
    const key = await seedKey(testDb(), { userId: owner.id, name: "payments" });
    const envFile = join(mkdtempSync(join(work, "svc-")), ".env");
    writeFileSync(
      envFile,
      `# payments service\nDATABASE_URL=postgres://db/payments\nPAYMENTS_API_KEY=${key.plaintext}\nLOG_LEVEL=info\n`,
    );
    chmodSync(envFile, 0o640);
    const result = await keyward(
      ["keys", "rotate", key.id, "--grace", "24h", "--write-env", `${envFile}:PAYMENTS_API_KEY`],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toMatch(KEY_RE);
    const lines = readFileSync(envFile, "utf8").split("\n");
    expect(lines[0]).toBe("# payments service");
    expect(lines[1]).toBe("DATABASE_URL=postgres://db/payments");
    expect(lines[3]).toBe("LOG_LEVEL=info");
    const written = /^PAYMENTS_API_KEY=(kw_\w+)$/.exec(lines[2]!)?.[1];
    expect(written).toBeDefined();
    expect(written).not.toBe(key.plaintext);
    expect(statSync(envFile).mode & 0o777).toBe(0o640);
    expect((await verify(written!)).body).toMatchObject({ valid: true, name: "payments" });
    // The old key works through its grace period.
    expect((await verify(key.plaintext)).body).toMatchObject({ valid: true, graceEndsAt: expect.any(String) });
  });

  it("--write-env creates a missing file 0600; keys issue writes there too", async () => {
    const dir = mkdtempSync(join(work, "svc-"));
    const result = await keyward(
      [
        "keys",
        "issue",
        "--name",
        "new svc",
        "--scopes",
        "read,write",
        "--expires",
        "30d",
        "--write-env",
        `${dir}/.env:SVC_KEY`,
        "--json",
      ],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout) as { key: { id: string }; plaintext?: string };
    expect(out.plaintext).toBeUndefined();
    const written = /^SVC_KEY=(kw_\w+)\n$/.exec(readFileSync(`${dir}/.env`, "utf8"))?.[1];
    expect((await verify(written!)).body).toMatchObject({ valid: true, keyId: out.key.id, scopes: ["read", "write"] });
    expect(statSync(`${dir}/.env`).mode & 0o777).toBe(0o600);
  });

  it("--if-expires-within rotates only a key that is due, following the id's rotations, so a daily job is idempotent", async () => {
    const db = testDb();
    const now = Date.now();
    const fresh = await seedKey(db, {
      userId: owner.id,
      createdAt: new Date(now - DAY),
      expiresAt: new Date(now + 29 * DAY),
    });
    const skipped = await keyward(
      ["keys", "rotate", fresh.id, "--if-expires-within", "7d", "--grace", "24h", "--write-env", `${work}/never.env:K`],
      env,
    );
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(skipped.stdout).toMatch(/Not due/);
    expect(existsSync(`${work}/never.env`)).toBe(false);
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: fresh.id } })).replacedById).toBeNull();

    // 30 days long, 3 left: due. Its replacement lives 30 days, so the next day's run changes nothing.
    const due = await seedKey(db, {
      userId: owner.id,
      createdAt: new Date(now - 27 * DAY),
      expiresAt: new Date(now + 3 * DAY),
    });
    const envFile = `${mkdtempSync(join(work, "svc-"))}/.env`;
    const daily = [
      "keys",
      "rotate",
      due.id,
      "--if-expires-within",
      "7d",
      "--grace",
      "24h",
      "--write-env",
      `${envFile}:API_KEY`,
      "--json",
    ];
    const first = await keyward(daily, env);
    expect(first.code, first.stderr).toBe(0);
    const rotated = JSON.parse(first.stdout) as { rotated: boolean; key: { id: string } };
    expect(rotated.rotated).toBe(true);
    const content = readFileSync(envFile, "utf8");
    const second = await keyward(daily, env);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ rotated: false, key: { id: rotated.key.id } });
    expect(readFileSync(envFile, "utf8")).toBe(content);
  });

  it("--show-secret prints the new key alone on stdout (the account of it on stderr)", async () => {
    const key = await seedKey(testDb(), { userId: owner.id });
    const result = await keyward(["keys", "rotate", key.id, "--show-secret"], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^${KEY_RE.source}\\n$`));
    expect(result.stderr).toMatch(/Rotated/);
    expect((await verify(result.stdout.trim())).body.valid).toBe(true);
  });

  it("keys revoke, then exit codes: 5 for no such key, 6 for input Keyward refuses", async () => {
    const key = await seedKey(testDb(), { userId: owner.id });
    expect((await keyward(["keys", "revoke", key.id, "--note", "cli test"], env)).code).toBe(0);
    expect((await verify(key.plaintext)).body.code).toBe("REVOKED");
    expect((await keyward(["keys", "show", "00000000-0000-4000-8000-000000000000"], env)).code).toBe(5);
    const refused = await keyward(
      ["keys", "issue", "--name", "x", "--scopes", "read", "--expires", "45d", "--show-secret"],
      env,
    );
    expect(refused.code).toBe(6);
    expect(refused.stderr).toMatch(/UNPROCESSABLE/);
  });

  it("exits 4 when the token lacks the scope (INSUFFICIENT_SCOPE), naming it", async () => {
    const readOnly = await createToken(session, ["keys:read"]);
    const key = await seedKey(testDb(), { userId: owner.id });
    const result = await keyward(["keys", "rotate", key.id, "--show-secret"], {
      ...env,
      KEYWARD_TOKEN: readOnly.plaintext,
    });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/INSUFFICIENT_SCOPE.*keys:write/);
  });

  it("tokens issue, list and revoke; a revoked token then exits 3", async () => {
    // A token hands on only the scopes it has: this one has no verify to give.
    expect(
      (await keyward(["tokens", "issue", "--name", "verifier", "--scopes", "verify", "--show-secret"], env)).code,
    ).toBe(4);
    const issued = await keyward(
      ["tokens", "issue", "--name", "reader", "--scopes", "keys:read", "--expires", "7d", "--show-secret"],
      env,
    );
    expect(issued.code, issued.stderr).toBe(0);
    const plaintext = issued.stdout.trim();
    expect(plaintext).toMatch(new RegExp(`^${TOKEN_RE.source}$`));
    const list = JSON.parse((await keyward(["tokens", "list", "--json"], env)).stdout) as {
      items: { id: string; name: string; last4: string }[];
    };
    const listed = list.items.find((t) => t.last4 === plaintext.slice(-4));
    expect(listed?.name).toBe("reader");
    expect((await keyward(["tokens", "revoke", listed!.id], env)).code).toBe(0);
    const refused = await keyward(["keys", "list"], { ...env, KEYWARD_TOKEN: plaintext });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/REVOKED/);
  });

  it("an expired token exits 3 and says where to renew it", async () => {
    const lapsed = await seedToken(testDb(), {
      userId: owner.id,
      scopes: ["keys:read"],
      expiresAt: new Date(Date.now() - 60_000),
    });
    const result = await keyward(["keys", "list"], { ...env, KEYWARD_TOKEN: lapsed.plaintext });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/EXPIRED/);
    expect(result.stderr).toMatch(/renew it at http/);
  });

  it("tokens rotate --self renews the job's own token into its env file; the old one then stops", async () => {
    const own = await createToken(session, ["keys:read"]);
    const envFile = `${mkdtempSync(join(work, "ci-"))}/.env`;
    const result = await keyward(
      ["tokens", "rotate", "--self", "--grace", "none", "--write-env", `${envFile}:KEYWARD_TOKEN`],
      { ...env, KEYWARD_TOKEN: own.plaintext },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toMatch(TOKEN_RE);
    const renewed = /^KEYWARD_TOKEN=(kwt_\w+)\n$/.exec(readFileSync(envFile, "utf8"))?.[1];
    expect(renewed).toBeDefined();
    expect((await keyward(["keys", "list", "--json"], { ...env, KEYWARD_TOKEN: renewed! })).code).toBe(0);
    expect((await keyward(["keys", "list"], { ...env, KEYWARD_TOKEN: own.plaintext })).code).toBe(3);
  });

  it("uses the saved login when the environment says nothing", async () => {
    const { env: bare } = home();
    expect((await keyward(["login", "--url", testEnv.baseUrl, "--token", env.KEYWARD_TOKEN!], bare)).code).toBe(0);
    expect((await keyward(["keys", "list", "--json"], bare)).code).toBe(0);
  });
});
