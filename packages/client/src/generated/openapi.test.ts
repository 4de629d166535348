// The committed SDK types are the document's: a route or schema changed without
// `npm run sdk:generate` fails here, before a client ships with types the server no longer keeps.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SDK_TYPES_FILE, sdkTypesSource } from "@/scripts/lib/sdk-types";

describe("packages/client/src/generated/openapi.ts", () => {
  it("is what npm run sdk:generate makes from the OpenAPI document today", async () => {
    const committed = readFileSync(SDK_TYPES_FILE, "utf8");
    const fresh = await sdkTypesSource();
    // toBe would print 200 kB; say where they part instead.
    const at = [...fresh].findIndex((c, i) => c !== committed[i]);
    const where = at === -1 && fresh.length === committed.length ? null : `line ${fresh.slice(0, at === -1 ? fresh.length : at).split("\n").length}`;
    expect(where, "stale: run `npm run sdk:generate` and commit the result").toBeNull();
  });
});
