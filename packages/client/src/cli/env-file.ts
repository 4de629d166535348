// --write-env FILE:VAR: put a new secret into an env file the service reads. The file is created
// (mode 0600: it holds a secret) or that one variable's line replaced, every other line kept as
// it was, the file's mode (and owner, where we may) kept; the new content goes to a temporary file
// beside it and is renamed over it, so a reader never sees half a file. The temporary file is
// made before the server is asked for a new secret: a file we cannot write fails the command
// while the old secret still works, instead of losing the new one.
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import { basename, dirname, join } from "node:path";
import { UsageError } from "./exit-codes.js";

export interface EnvTarget {
  file: string;
  name: string;
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** "FILE:VAR", split at the last colon (a path may hold colons, a variable name cannot). */
export function parseEnvTarget(spec: string): EnvTarget {
  const at = spec.lastIndexOf(":");
  const file = spec.slice(0, at);
  const name = spec.slice(at + 1);
  if (at <= 0 || !NAME_RE.test(name))
    throw new UsageError(`--write-env takes FILE:VARIABLE (e.g. .env:PAYMENTS_API_KEY), not "${spec}"`);
  return { file, name };
}

/**
 * The file's text with `name` set to `value`: each line assigning it (`NAME=…`, `export NAME=…`,
 * a quoted value spanning lines included) replaced in place, or one line appended. Line endings
 * (LF or CRLF) follow the file's.
 */
export function setEnvVariable(content: string, name: string, value: string): string {
  const eol = content.includes("\r\n") ? "\r\n" : "\n";
  const lines = content === "" ? [] : content.split(/\r?\n/);
  const trailingNewline = lines.length > 0 && lines[lines.length - 1] === "";
  if (trailingNewline) lines.pop();
  const assignment = new RegExp(`^(\\s*)(export\\s+)?${name}\\s*=\\s*(.*)$`);
  const out: string[] = [];
  let found = false;
  for (let i = 0; i < lines.length; i++) {
    const match = assignment.exec(lines[i]!);
    if (!match) {
      out.push(lines[i]!);
      continue;
    }
    found = true;
    out.push(`${match[1]}${match[2] ?? ""}${name}=${quoted(value)}`);
    // A quoted value left open on this line goes on until its closing quote: drop those lines too.
    const open = openQuote(match[3]!);
    while (open && i + 1 < lines.length) {
      i++;
      if (closes(lines[i]!, open)) break;
    }
  }
  if (!found) out.push(`${name}=${quoted(value)}`);
  return out.join(eol) + eol;
}

function quoted(value: string): string {
  return /^[A-Za-z0-9_\-.:/+@]*$/.test(value) ? value : JSON.stringify(value);
}

function openQuote(value: string): string | null {
  const quote = value[0];
  if (quote !== '"' && quote !== "'" && quote !== "`") return null;
  return closes(value.slice(1), quote) ? null : quote;
}

function closes(text: string, quote: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\\" && quote === '"') i++;
    else if (text[i] === quote) return true;
  }
  return false;
}

export interface PreparedEnvWrite {
  /** The file written, after following symbolic links. */
  readonly path: string;
  commit(value: string): Promise<void>;
  abort(): Promise<void>;
}

/** Checks that the file can be written, by making the temporary file it will be written through. */
export async function prepareEnvWrite(target: EnvTarget): Promise<PreparedEnvWrite> {
  const path = await fs.realpath(target.file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return target.file;
    throw error;
  });
  const existing = await fs.stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null;
    throw error;
  });
  if (existing && !existing.isFile()) throw new Error(`${target.file} is not a file`);
  const mode = existing ? existing.mode & 0o777 : 0o600;
  const temp = join(dirname(path), `.${basename(path)}.keyward-${randomBytes(6).toString("hex")}.tmp`);
  const handle = await fs.open(temp, "wx", 0o600);
  let settled = false;
  const abort = async () => {
    if (settled) return;
    settled = true;
    await handle.close().catch(() => undefined);
    await fs.unlink(temp).catch(() => undefined);
  };
  return {
    path,
    abort,
    async commit(value) {
      try {
        const before = existing ? await fs.readFile(path, "utf8") : "";
        await handle.writeFile(setEnvVariable(before, target.name, value), "utf8");
        await handle.chmod(mode); // explicitly: the mode given to open() is cut by the umask
        if (existing) await handle.chown(existing.uid, existing.gid).catch(() => undefined);
        await handle.sync();
        await handle.close();
        settled = true;
        await fs.rename(temp, path);
      } catch (error) {
        await abort();
        await fs.unlink(temp).catch(() => undefined);
        throw error;
      }
    },
  };
}
