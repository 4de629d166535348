// npm run sweep – runs the sweep now, from the machine Keyward runs on, the way cron should:
// reads the settings the way npm start does (environment, .env files, CRON_SECRET or the one
// npm start generated in the data folder), calls POST /api/cron/sweep on APP_URL (or
// http://localhost:$PORT), and calls again while a backlog is left (each call stops within
// SWEEP_MAX_SECONDS). Prints each run's summary; exits non-zero when a call fails, saying why.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import nextEnv from "@next/env";

const root = resolve(import.meta.dirname, "..");
/** Calls at most, however large the backlog: the next scheduled run carries on. */
const MAX_CALLS = 20;

function settings(): { url: string; secret: string } {
  nextEnv.loadEnvConfig(resolve(process.env.KEYWARD_CONFIG_DIR ?? root), false, { info() {}, error: console.error });
  const url = (process.env.APP_URL ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/+$/, "");
  const file = join(resolve(root, process.env.KEYWARD_DATA_DIR ?? ".data"), "cron-secret");
  const secret = process.env.CRON_SECRET ?? (existsSync(file) ? readFileSync(file, "utf8").trim() : "");
  if (!secret)
    throw new Error(`No CRON_SECRET: set it (as the server has it), or run this where npm start keeps ${file}.`);
  return { url, secret };
}

async function main(): Promise<number> {
  const { url, secret } = settings();
  for (let call = 1; call <= MAX_CALLS; call++) {
    let response: Response;
    try {
      response = await fetch(`${url}/api/cron/sweep`, {
        method: "POST",
        headers: { authorization: `Bearer ${secret}` },
      });
    } catch (error) {
      console.error(
        `sweep: cannot reach Keyward at ${url} (${(error as Error).cause ?? error}). Is it running? Set APP_URL or PORT.`,
      );
      return 1;
    }
    const text = await response.text();
    if (!response.ok) {
      const why =
        response.status === 401 || response.status === 403
          ? "this CRON_SECRET is not the server's"
          : `HTTP ${response.status}`;
      console.error(`sweep: refused (${why}): ${text.slice(0, 500)}`);
      return 1;
    }
    console.log(text);
    if ((JSON.parse(text) as { done?: boolean }).done !== false) return 0;
  }
  console.log(`sweep: a backlog is still left after ${MAX_CALLS} calls; the next run carries on.`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`sweep: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
