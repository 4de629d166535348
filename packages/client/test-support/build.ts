// Builds the package (tsc, its own tsconfig) into a folder of the caller's, so tests run the
// JavaScript users get, and tests building at once do not write over each other's output.
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";

export const PACKAGE_DIR = resolve(import.meta.dirname, "..");
const TSC = resolve(PACKAGE_DIR, "../../node_modules/typescript/bin/tsc");

export function buildPackage(outDir: string): { cli: string } {
  const result = spawnSync(process.execPath, [TSC, "-p", join(PACKAGE_DIR, "tsconfig.json"), "--outDir", outDir], {
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`tsc failed:\n${result.stdout}${result.stderr}`);
  return { cli: join(outDir, "cli", "main.js") };
}
