// Where `keyward` finds Keyward and its token: --url/--token, else KEYWARD_URL/KEYWARD_TOKEN (CI
// has no config file), else what `keyward login` saved in $XDG_CONFIG_HOME/keyward/config.json
// (~/.config/keyward/config.json without it). The file holds a secret: the folder is made 0700
// and the file 0600, and written whole through a temporary file, like the env files.
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { CredentialsError } from "./exit-codes.js";

/** The environment variables read (process.env, or a test's). */
export type Env = Record<string, string | undefined>;

export interface StoredConfig {
  url: string;
  token: string;
}

export interface Credentials extends StoredConfig {
  /** Where each came from, for messages. */
  source: "flags" | "environment" | "config file" | "mixed";
}

export function configDir(env: Env = process.env): string {
  const base =
    env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith("/")
      ? env.XDG_CONFIG_HOME
      : join(env.HOME || homedir(), ".config");
  return join(base, "keyward");
}

export function configFile(env: Env = process.env): string {
  return join(configDir(env), "config.json");
}

export async function saveConfig(config: StoredConfig, env: Env = process.env): Promise<string> {
  const dir = configDir(env);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  await fs.chmod(dir, 0o700); // also when it existed, and whatever the umask did
  const file = configFile(env);
  const temp = join(dir, `.config.json.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await fs.writeFile(temp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600, flag: "wx" });
    await fs.chmod(temp, 0o600);
    await fs.rename(temp, file);
  } catch (error) {
    await fs.unlink(temp).catch(() => undefined);
    throw error;
  }
  return file;
}

/** Forgets the saved token; true when there was one. */
export async function removeConfig(env: Env = process.env): Promise<boolean> {
  return fs.unlink(configFile(env)).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return false;
      throw error;
    },
  );
}

export async function readConfig(
  env: Env = process.env,
  warn: (message: string) => void = () => undefined,
): Promise<Partial<StoredConfig>> {
  const file = configFile(env);
  let text: string;
  try {
    const stat = await fs.stat(file);
    if (stat.mode & 0o077) warn(`${file} can be read by other users: chmod 600 it (it holds your token)`);
    text = await fs.readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<StoredConfig>;
  return {
    ...(typeof parsed.url === "string" ? { url: parsed.url } : {}),
    ...(typeof parsed.token === "string" ? { token: parsed.token } : {}),
  };
}

/** The URL and token to use, each from the first place that has it. */
export async function resolveCredentials(
  flags: { url?: string; token?: string },
  env: Env = process.env,
  warn?: (message: string) => void,
): Promise<Credentials> {
  const stored = flags.url && flags.token ? {} : await readConfig(env, warn);
  const url = pick(flags.url, env.KEYWARD_URL, stored.url);
  const token = pick(flags.token, env.KEYWARD_TOKEN, stored.token);
  if (!url.value || !token.value) {
    throw new CredentialsError(
      `no ${url.value ? "token" : token.value ? "URL" : "URL and token"}: run \`keyward login --url <url> --token <token>\`, or set KEYWARD_URL and KEYWARD_TOKEN`,
    );
  }
  return { url: url.value, token: token.value, source: url.from === token.from ? url.from : "mixed" };
}

function pick(flag: string | undefined, env: string | undefined, stored: string | undefined) {
  if (flag) return { value: flag, from: "flags" as const };
  if (env) return { value: env, from: "environment" as const };
  return { value: stored, from: "config file" as const };
}
