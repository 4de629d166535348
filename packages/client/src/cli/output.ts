// How `keyward` prints: tables and lines for people, one JSON document with --json for scripts.
// With --show-secret, stdout carries the secret alone (so `$(keyward … --show-secret)` captures
// just it) and the account of what happened goes to stderr.
import type { Key, TokenView } from "../types.js";
import type { Env } from "./config.js";

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Env;
  /** All of stdin, for `--token -`. */
  readStdin(): Promise<string>;
  now(): number;
}

export class Output {
  constructor(
    private readonly io: Io,
    readonly json: boolean,
    /** Human messages go to stderr (stdout is kept for a secret). */
    private readonly quietStdout = false,
  ) {}

  /** The command's answer: `human` lines, or `data` as JSON. */
  result(human: string | string[], data: unknown): void {
    if (this.json) this.io.stdout(`${JSON.stringify(data, null, 2)}\n`);
    else this.say(human);
  }

  /** A human line (progress, a note); nothing with --json, where the result says it all. */
  say(lines: string | string[]): void {
    if (this.json) return;
    const text = `${([] as string[]).concat(lines).join("\n")}\n`;
    if (this.quietStdout) this.io.stderr(text);
    else this.io.stdout(text);
  }

  secret(plaintext: string): void {
    if (!this.json) this.io.stdout(`${plaintext}\n`);
  }

  warn(message: string): void {
    this.io.stderr(`keyward: ${message}\n`);
  }
}

export function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  return rows.map((r) =>
    r
      .map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!)))
      .join("  ")
      .trimEnd(),
  );
}

/** "2027-01-31 09:00 UTC (in 23 days)". */
export function when(iso: string | null, now: number, never = "never"): string {
  if (!iso) return never;
  const t = Date.parse(iso);
  const stamp = `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
  const days = Math.round((t - now) / 86_400_000);
  const hours = Math.round((t - now) / 3_600_000);
  const relative = Math.abs(hours) < 48 ? `${Math.abs(hours)} h` : `${Math.abs(days)} days`;
  return `${stamp} (${t >= now ? `in ${relative}` : `${relative} ago`})`;
}

export function keyRows(keys: Key[], now: number): string[] {
  return table([
    ["ID", "NAME", "KEY", "STATUS", "EXPIRES", "SCOPES"],
    ...keys.map((k) => [k.id, k.name, k.masked, k.status, when(k.expiresAt, now), k.scopes.join(",")]),
  ]);
}

export function keyDetail(key: Key, now: number): string[] {
  const owner =
    key.owner.type === "team" ? `team ${key.owner.name} (${key.owner.id})` : `${key.owner.name} (${key.owner.id})`;
  return [
    `id          ${key.id}`,
    `name        ${key.name}`,
    `key         ${key.masked}`,
    `status      ${key.status}${key.blacklist ? ` (${key.blacklist.reason})` : ""}`,
    `owner       ${owner}`,
    `scopes      ${key.scopes.join(", ")}`,
    `created     ${when(key.createdAt, now)}`,
    `expires     ${when(key.expiresAt, now)}`,
    ...(key.graceEndsAt ? [`grace ends  ${when(key.graceEndsAt, now)}`] : []),
    ...(key.replacedById ? [`replaced by ${key.replacedById}`] : []),
    `last used   ${when(key.lastUsedAt, now, "not yet")}`,
  ];
}

export function tokenRows(tokens: TokenView[], now: number): string[] {
  return table([
    ["ID", "NAME", "TOKEN", "STATUS", "EXPIRES", "SCOPES"],
    ...tokens.map((t) => [t.id, t.name, t.masked, t.status, when(t.expiresAt, now), t.scopes.join(",")]),
  ]);
}
