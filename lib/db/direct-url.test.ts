import { describe, expect, it } from "vitest";
import { directDatabaseUrl } from "./direct-url";

describe("directDatabaseUrl", () => {
  it("is DATABASE_DIRECT_URL when set, and DATABASE_URL otherwise", () => {
    const pooled = "postgres://keyward@pgbouncer:6432/keyward";
    const direct = "postgres://keyward@db:5432/keyward";
    expect(directDatabaseUrl({ DATABASE_URL: pooled, DATABASE_DIRECT_URL: direct })).toBe(direct);
    expect(directDatabaseUrl({ DATABASE_URL: pooled })).toBe(pooled);
    expect(directDatabaseUrl({ DATABASE_URL: pooled, DATABASE_DIRECT_URL: "  " })).toBe(pooled);
    expect(directDatabaseUrl({})).toBeUndefined();
  });
});
