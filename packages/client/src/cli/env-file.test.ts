// --write-env's file handling: create (0600) or replace one variable's line, keep every other
// line, the line endings and the file's mode, write through a temporary file, follow symlinks.
import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseEnvTarget, prepareEnvWrite, setEnvVariable } from "./env-file";
import { UsageError } from "./exit-codes";

const NEW = "kw_NewKey0123456789abcdefghijABCDEF12";

describe("setEnvVariable", () => {
  it("appends to a file without the variable, and writes a fresh file", () => {
    expect(setEnvVariable("", "API_KEY", NEW)).toBe(`API_KEY=${NEW}\n`);
    expect(setEnvVariable("A=1\nB=2\n", "API_KEY", NEW)).toBe(`A=1\nB=2\nAPI_KEY=${NEW}\n`);
    expect(setEnvVariable("A=1", "API_KEY", NEW)).toBe(`A=1\nAPI_KEY=${NEW}\n`);
  });

  it("replaces the variable's line in place, keeping comments, blank lines, export and indentation", () => {
    const before =
      "# payments\nA=1\n\nexport API_KEY=kw_old # rotated weekly\nAPI_KEY_ID=abc\n  API_KEY = 'kw_older'\nB=2\n";
    expect(setEnvVariable(before, "API_KEY", NEW)).toBe(
      `# payments\nA=1\n\nexport API_KEY=${NEW}\nAPI_KEY_ID=abc\n  API_KEY=${NEW}\nB=2\n`,
    );
  });

  it("drops the rest of a quoted value that spanned lines, and keeps CRLF files CRLF", () => {
    expect(setEnvVariable('A=1\nAPI_KEY="line one\nline two"\nB=2\n', "API_KEY", NEW)).toBe(
      `A=1\nAPI_KEY=${NEW}\nB=2\n`,
    );
    expect(setEnvVariable("A=1\r\nAPI_KEY=old\r\n", "API_KEY", NEW)).toBe(`A=1\r\nAPI_KEY=${NEW}\r\n`);
  });

  it("quotes a value that needs it", () => {
    expect(setEnvVariable("", "X", "a b#c")).toBe('X="a b#c"\n');
  });
});

describe("parseEnvTarget", () => {
  it("splits FILE:VARIABLE at the last colon", () => {
    expect(parseEnvTarget(".env:PAYMENTS_API_KEY")).toEqual({ file: ".env", name: "PAYMENTS_API_KEY" });
    expect(parseEnvTarget("/srv/a:b/.env:K")).toEqual({ file: "/srv/a:b/.env", name: "K" });
  });

  it("refuses what is not FILE:VARIABLE", () => {
    for (const bad of [".env", ":K", ".env:", ".env:1K", ".env:K-EY"])
      expect(() => parseEnvTarget(bad), bad).toThrow(UsageError);
  });
});

describe("prepareEnvWrite", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "keyward-env-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("creates a missing file readable by its owner only", async () => {
    const file = join(dir, ".env");
    const write = await prepareEnvWrite({ file, name: "API_KEY" });
    await write.commit(NEW);
    expect(readFileSync(file, "utf8")).toBe(`API_KEY=${NEW}\n`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual([".env"]);
  });

  it("replaces the line in an existing file and keeps its mode", async () => {
    const file = join(dir, "service.env");
    writeFileSync(file, "DB=postgres://db\nAPI_KEY=kw_old\n");
    chmodSync(file, 0o640);
    const write = await prepareEnvWrite({ file, name: "API_KEY" });
    await write.commit(NEW);
    expect(readFileSync(file, "utf8")).toBe(`DB=postgres://db\nAPI_KEY=${NEW}\n`);
    expect(statSync(file).mode & 0o777).toBe(0o640);
  });

  it("writes through a temporary file beside it, renamed over it (a reader never sees half a file)", async () => {
    const file = join(dir, ".env");
    writeFileSync(file, "API_KEY=kw_old\n");
    const before = statSync(file).ino;
    const write = await prepareEnvWrite({ file, name: "API_KEY" });
    // Prepared, not committed: the file is untouched and a temporary one waits beside it.
    expect(readFileSync(file, "utf8")).toBe("API_KEY=kw_old\n");
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toHaveLength(1);
    await write.commit(NEW);
    expect(statSync(file).ino).not.toBe(before);
    expect(readdirSync(dir)).toEqual([".env"]);
  });

  it("leaves nothing behind when aborted", async () => {
    const write = await prepareEnvWrite({ file: join(dir, ".env"), name: "API_KEY" });
    await write.abort();
    expect(readdirSync(dir)).toEqual([]);
  });

  it("writes the file a symlink points to, and keeps the link", async () => {
    const real = join(dir, "real.env");
    writeFileSync(real, "API_KEY=kw_old\n");
    symlinkSync(real, join(dir, ".env"));
    const write = await prepareEnvWrite({ file: join(dir, ".env"), name: "API_KEY" });
    await write.commit(NEW);
    expect(readFileSync(real, "utf8")).toBe(`API_KEY=${NEW}\n`);
    expect(readFileSync(join(dir, ".env"), "utf8")).toBe(`API_KEY=${NEW}\n`);
  });

  it("fails before anything is asked of the server when the folder cannot be written", async () => {
    await expect(prepareEnvWrite({ file: join(dir, "missing", ".env"), name: "API_KEY" })).rejects.toThrow(/ENOENT/);
  });
});
