// keyward login / logout: keep (or forget) the URL and token in the user's config folder.
import { configFile, removeConfig, saveConfig } from "../config.js";
import type { CommandContext } from "../context.js";
import { stringValue } from "../context.js";
import { UsageError } from "../exit-codes.js";
import { tokenFormatProblem } from "../token-format.js";

export async function login(ctx: CommandContext): Promise<void> {
  const url = stringValue(ctx.values.url) ?? ctx.io.env.KEYWARD_URL;
  if (!url) throw new UsageError("login needs --url <Keyward's address>");
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--url: "${url}" is not a URL`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:")
    throw new UsageError(`--url: "${url}" is not an http(s) URL`);
  // `--token -` reads it from stdin, which keeps it out of the shell's history and the process list.
  const given = stringValue(ctx.values.token) ?? ctx.io.env.KEYWARD_TOKEN;
  if (!given) throw new UsageError("login needs --token <kwt_…> (or --token - to read it from stdin)");
  const token = (given === "-" ? await ctx.io.readStdin() : given).trim();
  const problem = tokenFormatProblem(token);
  if (problem) throw new UsageError(`--token: ${problem}`);
  const file = await saveConfig({ url: parsed.origin + parsed.pathname.replace(/\/+$/, ""), token }, ctx.io.env);
  ctx.out.result(`Saved ${parsed.origin} and the token ${token.slice(0, 8)}… to ${file} (readable by you only).`, {
    url: parsed.origin,
    file,
  });
}

export async function logout(ctx: CommandContext): Promise<void> {
  const removed = await removeConfig(ctx.io.env);
  const file = configFile(ctx.io.env);
  ctx.out.result(removed ? `Removed ${file}.` : `Nothing to remove (${file} does not exist).`, { removed, file });
}
