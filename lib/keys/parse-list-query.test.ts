import { describe, expect, it } from "vitest";
import { parseListQuery } from "./parse-list-query";

describe("parseListQuery", () => {
  it("reads the URL's table state", () => {
    expect(parseListQuery({ tab: "expiring", q: "ci", sort: "name", dir: "asc", page: "2", pageSize: "50" }, "active")).toEqual({
      tab: "expiring",
      q: "ci",
      sort: "name",
      dir: "asc",
      page: 2,
      pageSize: 50,
    });
  });

  it("falls back per field on nonsense instead of failing the page", () => {
    expect(parseListQuery({ tab: "bogus", sort: "hash", page: "-3", pageSize: "1000" }, "active")).toMatchObject({
      tab: "active",
      sort: "createdAt",
      page: 1,
      pageSize: 20,
    });
  });
});
