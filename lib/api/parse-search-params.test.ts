import { describe, expect, it } from "vitest";
import { ZListKeysQuery, ZMyKeysQuery } from "@/lib/keys/read/list-keys";
import { parseSearchParams } from "./parse-search-params";

describe("parseSearchParams", () => {
  it("reads a page's URL through the API's query schema", () => {
    expect(
      parseSearchParams(ZListKeysQuery, {
        tab: "expiring",
        q: "ci",
        sort: "name",
        dir: "asc",
        page: "2",
        pageSize: "50",
      }),
    ).toEqual({
      tab: "expiring",
      q: "ci",
      sort: "name",
      dir: "asc",
      page: 2,
      pageSize: 50,
    });
  });

  it("drops what does not parse, field by field, instead of failing the page", () => {
    expect(
      parseSearchParams(ZMyKeysQuery, {
        tab: "bogus",
        sort: "hash",
        page: "-3",
        pageSize: "1000",
        q: "kept",
        extra: "x",
      }),
    ).toEqual({
      tab: "active",
      q: "kept",
      sort: "createdAt",
      dir: "desc",
      page: 1,
      pageSize: 20,
    });
  });

  it("takes the first of repeated parameters", () => {
    expect(parseSearchParams(ZListKeysQuery, { tab: ["blacklisted", "active"] }).tab).toBe("blacklisted");
  });
});
