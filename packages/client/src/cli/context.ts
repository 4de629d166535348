// What every command gets: its parsed arguments, the output, and a client made from the
// credentials (asked for only by the commands that call Keyward).
import { KeywardClient } from "../client.js";
import { resolveCredentials } from "./config.js";
import type { Io, Output } from "./output.js";

export interface CommandContext {
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
  out: Output;
  io: Io;
  client(): Promise<KeywardClient>;
}

export function makeContext(
  positionals: string[],
  values: CommandContext["values"],
  out: Output,
  io: Io,
): CommandContext {
  return {
    positionals,
    values,
    out,
    io,
    async client() {
      const flags = { url: stringValue(values.url), token: stringValue(values.token) };
      const credentials = await resolveCredentials(flags, io.env, (m) => out.warn(m));
      return new KeywardClient({ baseUrl: credentials.url, token: credentials.token, timeoutMs: 30_000 });
    },
  };
}

export function stringValue(value: string | boolean | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}
