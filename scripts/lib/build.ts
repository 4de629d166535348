// `next build` when the sources changed since the last build, so `npm start` on a fresh clone
// (or after a pull) just works, and a second start is instant.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const SOURCES = ["app", "components", "lib", "proxy.ts", "next.config.mjs", "postcss.config.mjs", "package-lock.json", "instrumentation.ts"];
const SKIP = new Set(["node_modules", ".next", "generated"]);

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

export function buildIfNeeded(root: string, env: NodeJS.ProcessEnv): void {
  if (!buildIsStale(root)) return;
  console.log("[keyward] building the app (next build)…");
  const result = spawnSync(process.execPath, [join(root, "node_modules/next/dist/bin/next"), "build"], {
    cwd: root,
    env: { ...env, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: "inherit",
  });
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status ?? result.signal}).`);
}
