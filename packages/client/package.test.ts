// The package as its users get it: `npm pack` builds it (prepack) into a tarball holding the
// compiled ESM and its declarations and nothing else; installed from that tarball, the `keyward`
// bin runs, every entry point loads without Express or Fastify installed, and a TypeScript
// consumer type-checks against the declarations through the package's exports.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VERSION } from "./src/cli/version";
import { PACKAGE_DIR } from "./test-support/build";

const ROOT = resolve(PACKAGE_DIR, "../..");
const manifest = JSON.parse(readFileSync(join(PACKAGE_DIR, "package.json"), "utf8")) as {
  name: string;
  version: string;
};

function sh(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, npm_config_update_notifier: "false" },
  });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(" ")} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

let work: string;
let files: string[];
let consumer: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "keyward-pack-"));
  const [packed] = JSON.parse(sh("npm", ["pack", "--json", "--pack-destination", work], PACKAGE_DIR)) as {
    filename: string;
    files: { path: string }[];
  }[];
  files = packed!.files.map((f) => f.path).sort();
  consumer = join(work, "consumer");
  sh("mkdir", ["-p", consumer], work);
  writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  sh("npm", ["install", "--offline", "--no-audit", "--no-fund", join(work, packed!.filename)], consumer);
}, 180_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("npm pack of @keyward/client", () => {
  it("holds the compiled entry points with their declarations, the bin, and no sources or tests", () => {
    for (const entry of ["index", "express", "fastify", "next", "cli/main"]) {
      expect(files).toContain(`dist/${entry}.js`);
      expect(files).toContain(`dist/${entry}.d.ts`);
    }
    expect(files).toContain("package.json");
    expect(files).toContain("README.md");
    expect(files.filter((f) => !f.startsWith("dist/") && f !== "package.json" && f !== "README.md")).toEqual([]);
    expect(files.filter((f) => /\.test\.|test-support/.test(f))).toEqual([]);
  });

  it("has no runtime dependencies, and says the version --version prints", () => {
    const installed = JSON.parse(
      readFileSync(join(consumer, "node_modules/@keyward/client/package.json"), "utf8"),
    ) as Record<string, unknown>;
    expect(installed.dependencies).toBeUndefined();
    expect(installed.version).toBe(VERSION);
    expect(manifest.version).toBe(VERSION);
  });

  it("installs a working `keyward` bin", () => {
    expect(sh(join(consumer, "node_modules/.bin/keyward"), ["--version"], consumer).trim()).toBe(VERSION);
  });

  it("loads every entry point in plain Node, with neither Express nor Fastify installed", () => {
    const script = `
      const root = await import("@keyward/client");
      const express = await import("@keyward/client/express");
      const fastify = await import("@keyward/client/fastify");
      const next = await import("@keyward/client/next");
      console.log([typeof root.KeywardClient, typeof root.KeywardApiError, typeof express.keywardExpress, typeof fastify.keywardFastify, typeof next.withKeyward].join(","));`;
    expect(sh(process.execPath, ["--input-type=module", "-e", script], consumer).trim()).toBe(
      "function,function,function,function,function",
    );
  });

  it(
    "type-checks a consumer against its declarations (NodeNext resolution through the exports map)",
    { timeout: 120_000 },
    () => {
      writeFileSync(
        join(consumer, "use.ts"),
        `import { KeywardClient, KeywardApiError, type VerifyResult } from "@keyward/client";
import { keywardExpress } from "@keyward/client/express";
import { withKeyward } from "@keyward/client/next";

const client = new KeywardClient({ baseUrl: "https://keyward.example", token: process.env.KEYWARD_TOKEN, verifyCache: true });
export async function check(key: string): Promise<string> {
  const verdict: VerifyResult = await client.verify(key, { scope: "read" });
  if (verdict.valid) return verdict.expiresAt ?? "never";
  if (verdict.code === "EXPIRED") return verdict.renewUrl;
  // @ts-expect-error a refusal has no expiresAt
  return verdict.expiresAt;
}
export const gate = keywardExpress({ client });
export const GET = withKeyward(async (_req, _ctx: unknown, verdict) => Response.json({ id: verdict.keyId }), { client });
export async function issue() {
  try {
    const issued = await client.keys.issue({ name: "ci", scopes: ["read"], expiry: { type: "days", days: 30 } });
    return issued.plaintext;
  } catch (error) {
    if (error instanceof KeywardApiError && error.code === "INSUFFICIENT_SCOPE") return error.requiredScope;
    throw error;
  }
}
// @ts-expect-error not an expiry the API takes
client.keys.issue({ name: "ci", scopes: ["read"], expiry: { type: "weeks" } });
`,
      );
      const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
      const args = [
        "--noEmit",
        "--strict",
        "--module",
        "nodenext",
        "--moduleResolution",
        "nodenext",
        "--target",
        "es2022",
        "--types",
        "node",
        "--typeRoots",
        join(ROOT, "node_modules/@types"),
        "use.ts",
      ];
      const result = spawnSync(process.execPath, [tsc, ...args], { cwd: consumer, encoding: "utf8" });
      expect(result.stdout + result.stderr).toBe("");
      expect(result.status).toBe(0);
    },
  );
});
