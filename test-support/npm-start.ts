// `npm start` as an operator runs it, for tests of the start script and the commands run beside
// it (npm run user:admin, npm run db:remove-demo): its own process group, a data folder of the
// test's, production settings unless the test says otherwise.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { freePort } from "@/server/free-port";
import { testEnv } from "./env";

const root = join(import.meta.dirname, "..");

export type Env = Record<string, string | undefined>;

/** Process ids in a process group (npm and everything it started). */
export function groupMembers(pgid: number): number[] {
  const out = spawnSync("pgrep", ["-g", String(pgid)], { encoding: "utf8" }).stdout;
  return out.split("\n").filter(Boolean).map(Number);
}

/** The test runner's settings minus the ones npm start must find (or not) on its own. */
export function baseEnv(): Env {
  const env: Env = { ...process.env };
  for (const name of [
    "DATABASE_URL",
    "ADMIN_EMAIL",
    "ADMIN_PASSWORD",
    "SEED_DEMO",
    "AUTH_URL",
    "APP_URL",
    "AUTH_SECRET",
    "CRON_SECRET",
  ])
    delete env[name];
  return env;
}

export interface Launched {
  child: ChildProcess;
  pgid: number;
  url: string;
  /** The settings it runs with: give them to a command that must find the same data. */
  env: NodeJS.ProcessEnv;
  log(): string;
}

/** Starts `npm start` without waiting for it. An override of undefined means "not set at all". */
export async function launchKeyward(dataDir: string, overrides: Env = {}): Promise<Launched> {
  const port = await freePort();
  const merged: Env = {
    ...baseEnv(),
    NODE_ENV: "production",
    DATABASE_URL: testEnv.databaseUrl,
    PORT: String(port),
    APP_URL: `http://127.0.0.1:${port}`,
    KEYWARD_DATA_DIR: dataDir,
    SEED_DEMO: "false",
    // Nothing is written until the stop: the counts exist only in the server's memory.
    USAGE_FLUSH_INTERVAL_MS: "600000",
    ...overrides,
  };
  for (const [name, value] of Object.entries(merged)) if (value === undefined) delete merged[name];
  const env = merged as NodeJS.ProcessEnv;
  const child = spawn("npm", ["start"], {
    cwd: root,
    detached: true, // its own process group, as a service manager would start it
    stdio: ["ignore", "pipe", "pipe"],
    env,
  });
  let log = "";
  child.stdout!.on("data", (chunk: Buffer) => (log += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (log += chunk.toString()));
  return { child, pgid: child.pid!, url: `http://127.0.0.1:${port}`, env, log: () => log };
}

/** Starts `npm start` and waits until it serves. */
export async function startKeyward(dataDir: string, overrides: Env = {}): Promise<Launched> {
  const app = await launchKeyward(dataDir, overrides);
  const deadline = Date.now() + 90_000;
  while (!app.log().includes("Keyward is running")) {
    if (app.child.exitCode !== null) throw new Error(`npm start exited early:\n${app.log()}`);
    if (Date.now() > deadline) throw new Error(`npm start did not come up:\n${app.log()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return app;
}

/** Waits for a start that should not serve to end; its exit code. */
export async function exitOf(app: Launched, withinMs = 90_000): Promise<number> {
  const deadline = Date.now() + withinMs;
  while (app.child.exitCode === null) {
    if (app.log().includes("Keyward is running")) throw new Error(`npm start served:\n${app.log()}`);
    if (Date.now() > deadline) throw new Error(`npm start neither served nor exited:\n${app.log()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  // The group may still be closing the embedded database: the next user of the folder waits.
  await waitUntilGone(app.pgid, 15_000);
  return app.child.exitCode;
}

export async function waitUntilGone(pgid: number, withinMs: number): Promise<number> {
  const started = Date.now();
  while (groupMembers(pgid).length > 0) {
    if (Date.now() - started > withinMs) return -1;
    await new Promise((r) => setTimeout(r, 100));
  }
  return Date.now() - started;
}

export async function stopKeyward(app: Launched): Promise<void> {
  process.kill(-app.pgid, "SIGTERM");
  await waitUntilGone(app.pgid, 15_000);
}

/** An npm script run beside the server, with its settings (the same data folder, .env, APP_URL). */
export function runScript(
  app: Pick<Launched, "env">,
  script: string,
  args: string[] = [],
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync("npm", ["run", "--silent", script, "--", ...args], {
    cwd: root,
    env: app.env,
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
