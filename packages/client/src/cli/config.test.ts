// Where `keyward login` keeps the token, with what modes, and which source wins.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { configFile, readConfig, resolveCredentials, saveConfig } from "./config";
import { CredentialsError } from "./exit-codes";

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "keyward-home-"));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe("the config file", () => {
  it("lives in $XDG_CONFIG_HOME/keyward, else ~/.config/keyward (a relative XDG_CONFIG_HOME is ignored, as the spec says)", () => {
    expect(configFile({ HOME: home, XDG_CONFIG_HOME: "/x/conf" })).toBe("/x/conf/keyward/config.json");
    expect(configFile({ HOME: home })).toBe(join(home, ".config/keyward/config.json"));
    expect(configFile({ HOME: home, XDG_CONFIG_HOME: "conf" })).toBe(join(home, ".config/keyward/config.json"));
  });

  it("is written 0600 in a folder made 0700, even one that existed wider", async () => {
    const env = { HOME: home };
    mkdirSync(join(home, ".config/keyward"), { recursive: true, mode: 0o755 });
    chmodSync(join(home, ".config/keyward"), 0o755);
    const file = await saveConfig({ url: "https://keyward.example", token: "kwt_x" }, env);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, ".config/keyward")).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ url: "https://keyward.example", token: "kwt_x" });
  });

  it("warns when others can read it", async () => {
    const env = { HOME: home };
    const file = await saveConfig({ url: "https://k", token: "kwt_x" }, env);
    chmodSync(file, 0o644);
    const warnings: string[] = [];
    await readConfig(env, (m) => warnings.push(m));
    expect(warnings.join()).toMatch(/chmod 600/);
  });
});

describe("resolveCredentials", () => {
  it("takes flags over the environment over the file", async () => {
    const env = { HOME: home, KEYWARD_URL: "https://env", KEYWARD_TOKEN: "kwt_env" };
    await saveConfig({ url: "https://file", token: "kwt_file" }, env);
    expect(await resolveCredentials({ url: "https://flag", token: "kwt_flag" }, env)).toMatchObject({
      url: "https://flag",
      token: "kwt_flag",
      source: "flags",
    });
    expect(await resolveCredentials({}, env)).toMatchObject({
      url: "https://env",
      token: "kwt_env",
      source: "environment",
    });
    expect(await resolveCredentials({}, { HOME: home })).toMatchObject({
      url: "https://file",
      token: "kwt_file",
      source: "config file",
    });
    expect(await resolveCredentials({}, { HOME: home, KEYWARD_TOKEN: "kwt_env" })).toMatchObject({
      url: "https://file",
      token: "kwt_env",
      source: "mixed",
    });
  });

  it("says how to log in when there is nothing", async () => {
    await expect(resolveCredentials({}, { HOME: home })).rejects.toThrow(CredentialsError);
    await expect(resolveCredentials({}, { HOME: home, KEYWARD_URL: "https://k" })).rejects.toThrow(
      /no token: run `keyward login/,
    );
  });
});
