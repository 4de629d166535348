import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Pool } from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedDatabase } from "./embedded";

const root = mkdtempSync(join(tmpdir(), "keyward-embedded-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let dirCount = 0;
function freshDir(): string {
  return join(root, `data-${++dirCount}`);
}

async function withPool<T>(url: string, work: (pool: Pool) => Promise<T>): Promise<T> {
  const pool = new Pool({ connectionString: url, max: 10 });
  try {
    return await work(pool);
  } finally {
    await pool.end();
  }
}

// A real second process, since the lock is about processes; it holds the database until told
// to exit on stdin, and exits without calling close().
async function startHolder(dataDir: string): Promise<ChildProcess> {
  const modulePath = fileURLToPath(new URL("./embedded.ts", import.meta.url));
  const script = `
    const { startEmbeddedDatabase } = await import(${JSON.stringify(modulePath)});
    await startEmbeddedDatabase({ dataDir: process.argv[1] });
    process.stdout.write("ready\\n");
    process.stdin.once("data", () => process.exit(0));
  `;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script, dataDir], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const [chunk] = (await Promise.race([once(child.stdout!, "data"), once(child, "exit")])) as unknown[];
  if (String(chunk).trim() !== "ready") throw new Error("the holder process exited before opening the database");
  return child;
}

describe("startEmbeddedDatabase", { timeout: 60_000 }, () => {
  it("keeps concurrent clients' exchanges apart: every query gets its own answer", async () => {
    const db = await startEmbeddedDatabase({});
    try {
      await withPool(db.url, async (pool) => {
        await pool.query("CREATE TABLE counter (id int PRIMARY KEY, n int NOT NULL)");
        await pool.query("INSERT INTO counter SELECT i, 0 FROM generate_series(1, 20) i");
        // Queries of different shapes and parameter counts, transactions, failures and answers of
        // megabytes, all at once on ten connections: an interleaved Parse/Bind would fail or
        // return wrong rows, and an answer sent from reused memory would arrive corrupted.
        const work = Array.from({ length: 400 }, async (_, i) => {
          if (i % 50 === 7) {
            const { rows } = await pool.query(
              "SELECT g AS n, repeat(chr(65 + g % 26), 500) AS s FROM generate_series(1, 4000) g",
            );
            expect(rows).toHaveLength(4000);
            expect(
              rows.every(
                (row: { n: number; s: string }) => row.s === String.fromCharCode(65 + (row.n % 26)).repeat(500),
              ),
            ).toBe(true);
            return;
          }
          switch (i % 4) {
            case 0:
              return expect((await pool.query("SELECT $1::int * 2 AS v", [i])).rows[0].v).toBe(i * 2);
            case 1:
              return expect(
                (await pool.query("SELECT $1::text || $2::text || $3::text AS v", ["a", String(i), "z"])).rows[0].v,
              ).toBe(`a${i}z`);
            case 2: {
              const client = await pool.connect();
              try {
                await client.query("BEGIN");
                await client.query("UPDATE counter SET n = n + 1 WHERE id = $1", [(i % 20) + 1]);
                await client.query("COMMIT");
              } finally {
                client.release();
              }
              return;
            }
            default:
              return expect(pool.query("SELECT 1 / $1::int AS v", [0])).rejects.toThrow("division by zero");
          }
        });
        await Promise.all(work);
        expect((await pool.query("SELECT sum(n)::int AS total FROM counter")).rows[0].total).toBe(100);
      });
    } finally {
      await db.close();
    }
  });

  it("keeps the data folder and the socket this user's alone", async () => {
    const dataDir = freshDir();
    const db = await startEmbeddedDatabase({ dataDir });
    const socketDir = db.socketDir;
    try {
      expect(statSync(socketDir).mode & 0o777).toBe(0o700);
      expect(statSync(join(socketDir, ".s.PGSQL.5432")).mode & 0o077).toBe(0);
    } finally {
      await db.close();
    }
    const loose = spawnSync(
      "find",
      [dataDir, "(", "-type", "d", "-perm", "/077", ")", "-o", "(", "-type", "f", "-perm", "/077", ")"],
      { encoding: "utf8" },
    ).stdout.trim();
    expect(loose).toBe("");
    expect(existsSync(socketDir)).toBe(false);
  });

  it("serves a pool of 10 connections, refuses a second open and keeps the data across a reopen", async () => {
    const dataDir = freshDir();
    const first = await startEmbeddedDatabase({ dataDir });
    // A Unix socket in a folder of its own, not a TCP port anyone on the machine could reach.
    expect(new URL(first.url).searchParams.get("host")).toBe(first.socketDir);
    await withPool(first.url, async (pool) => {
      await pool.query("CREATE TABLE note (id int PRIMARY KEY)");
      const inserted = await Promise.all(
        Array.from({ length: 10 }, (_, i) => pool.query("INSERT INTO note VALUES ($1) RETURNING id", [i])),
      );
      expect(inserted.map((result) => result.rows[0].id)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      // All ten queries ran on their own connection, none was refused by the server.
      expect(pool.totalCount).toBe(10);
    });
    await expect(startEmbeddedDatabase({ dataDir })).rejects.toThrow(`in use by process ${process.pid}`);
    await first.close();
    expect(existsSync(join(dataDir, "keyward.lock"))).toBe(false);

    const reopened = await startEmbeddedDatabase({ dataDir });
    try {
      const count = await withPool(reopened.url, (pool) => pool.query("SELECT count(*)::int AS n FROM note"));
      expect(count.rows[0].n).toBe(10);
    } finally {
      await reopened.close();
    }
  });

  it("refuses a data folder another process has open, and frees it when that process exits", async () => {
    const dataDir = freshDir();
    const holder = await startHolder(dataDir);

    await expect(startEmbeddedDatabase({ dataDir })).rejects.toThrow(
      `The embedded database in ${dataDir} is already in use by process ${holder.pid}. ` +
        "Stop that Keyward first, or set DATABASE_URL to use PostgreSQL.",
    );
    // The refused attempt must not have touched the holder's lock.
    expect(readFileSync(join(dataDir, "keyward.lock"), "utf8")).toBe(`${holder.pid}\n`);

    holder.stdin!.write("exit\n");
    await once(holder, "exit");
    expect(existsSync(join(dataDir, "keyward.lock"))).toBe(false);
  });

  it.each([
    ["a process that is gone", () => spawnSync(process.execPath, ["-e", ""]).pid],
    // A restarted container tends to give Keyward the same pid as last time.
    ["an earlier run with our own pid", () => process.pid],
  ])("takes over the lock of %s", async (_, stalePid) => {
    const dataDir = freshDir();
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, "keyward.lock"), `${stalePid()}\n`);

    const db = await startEmbeddedDatabase({ dataDir });
    try {
      expect(readFileSync(join(dataDir, "keyward.lock"), "utf8")).toBe(`${process.pid}\n`);
    } finally {
      await db.close();
    }
  });

  it("reopens a data folder after its process was killed", async () => {
    const dataDir = freshDir();
    const holder = await startHolder(dataDir);
    holder.kill("SIGKILL");
    await once(holder, "exit");
    expect(existsSync(join(dataDir, "keyward.lock"))).toBe(true);

    const db = await startEmbeddedDatabase({ dataDir });
    try {
      const result = await withPool(db.url, (pool) => pool.query("SELECT 1 AS one"));
      expect(result.rows[0].one).toBe(1);
    } finally {
      await db.close();
    }
  });

  it("runs in memory without a data folder", async () => {
    const db = await startEmbeddedDatabase({});
    try {
      const result = await withPool(db.url, (pool) => pool.query("SELECT current_database() AS name"));
      expect(result.rows[0].name).toBe("postgres");
    } finally {
      await db.close();
    }
  });
});

describe("the embedded database's extensions", () => {
  it("loads pg_trgm, so the search migration and its trigram indexes work as on PostgreSQL", async () => {
    const db = await startEmbeddedDatabase({});
    try {
      await withPool(db.url, async (pool) => {
        await pool.query("CREATE EXTENSION IF NOT EXISTS pg_trgm");
        await pool.query("CREATE TABLE t (name text)");
        await pool.query("CREATE INDEX t_name_trgm ON t USING GIN (name gin_trgm_ops)");
        await pool.query("INSERT INTO t SELECT 'svc-' || i FROM generate_series(1, 2000) i");
        await pool.query("SET enable_seqscan = off");
        const plan = await pool.query("EXPLAIN SELECT * FROM t WHERE name ILIKE '%vc-19%'");
        expect(plan.rows.map((r: { "QUERY PLAN": string }) => r["QUERY PLAN"]).join("\n")).toContain("t_name_trgm");
        const found = await pool.query("SELECT count(*)::int AS n FROM t WHERE name ILIKE '%VC-199%'");
        expect(found.rows[0].n).toBe(11);
      });
    } finally {
      await db.close();
    }
  });
});
