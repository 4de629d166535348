// The registry of declarations is generated; it must be what `npm run routes:generate` writes now,
// and every route under app/api must have its declaration beside it.
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { filesUnderApi, REGISTRY_FILE, registrySource } from "./route-registry";

describe("the route registry (app/api/declarations.ts)", () => {
  it("is up to date: run `npm run routes:generate` after adding, moving or removing a route", async () => {
    const committed = readFileSync(REGISTRY_FILE, "utf8");
    expect(committed).toBe(await registrySource(committed));
  });

  it("has a declaration.ts beside every route.ts, and none elsewhere", () => {
    const routes = filesUnderApi("route.ts").map(dirname).sort();
    const declarations = filesUnderApi("declaration.ts").map(dirname).sort();
    expect(declarations).toEqual(routes);
  });

  it("keeps the order of the routes it lists, and adds new ones at the end", async () => {
    const entries = (text: string) =>
      [...text.matchAll(/path: "([^"]+)",\s*method: "([A-Z]+)"/g)].map((m) => `path: "${m[1]}", method: "${m[2]}"`);
    const listed = entries(readFileSync(REGISTRY_FILE, "utf8"));
    // A previous file listing all but the first route, in reverse: that order stays, the first comes last.
    const previous = listed
      .slice(1)
      .reverse()
      .map((entry) => `{ ${entry} },`)
      .join("\n");
    expect(entries(await registrySource(previous))).toEqual([...listed.slice(1).reverse(), listed[0]]);
  });
});
