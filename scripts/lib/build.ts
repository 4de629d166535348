// `next build` when the sources changed since the last build, so `npm start` on a fresh clone
// (or after a pull) just works, and a second start is instant. The first build takes a couple
// of minutes on a small machine: it says so, and says it is still going, instead of going quiet.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const SOURCES = [
  "app",
  "components",
  "lib",
  "proxy.ts",
  "next.config.mjs",
  "postcss.config.mjs",
  "package-lock.json",
  "instrumentation.ts",
];
const SKIP = new Set(["node_modules", ".next", "generated"]);
/** How often a long build says it is still going. */
const PROGRESS_EVERY_MS = 20_000;

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (!SKIP.has(entry)) newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

export function buildIsStale(root: string): boolean {
  const buildId = join(root, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  return SOURCES.some((s) => newestMtime(join(root, s)) > built);
}

export async function buildIfNeeded(root: string, env: NodeJS.ProcessEnv): Promise<void> {
  if (!buildIsStale(root)) return;
  const first = !existsSync(join(root, ".next", "BUILD_ID"));
  console.log(
    `[keyward] building the app (next build)${first ? ": the first build takes about 2 minutes on 2 cores" : ""}…`,
  );
  const started = Date.now();
  const ticker = setInterval(
    () => console.log(`[keyward] still building (${Math.round((Date.now() - started) / 1000)} s)…`),
    PROGRESS_EVERY_MS,
  );
  try {
    const code = await new Promise<number | string>((done, fail) => {
      const child = spawn(process.execPath, [join(root, "node_modules/next/dist/bin/next"), "build"], {
        cwd: root,
        env: { ...env, NEXT_TELEMETRY_DISABLED: "1" },
        stdio: "inherit",
      });
      child.once("error", fail);
      child.once("exit", (exitCode, signal) => done(exitCode ?? signal ?? 1));
    });
    if (code !== 0) throw new Error(`next build failed (exit ${code}).`);
    console.log(`[keyward] built in ${Math.round((Date.now() - started) / 1000)} s`);
  } finally {
    clearInterval(ticker);
  }
}
