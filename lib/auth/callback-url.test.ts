import { describe, expect, it } from "vitest";
import { DEFAULT_CALLBACK, safeCallbackUrl } from "./callback-url";

const APP = "https://keys.example.com";

describe("safeCallbackUrl", () => {
  it("keeps paths on our origin, with their query", () => {
    expect(safeCallbackUrl("/keys?tab=expiring", APP)).toBe("/keys?tab=expiring");
    expect(safeCallbackUrl("/keys/abc?renew=1#x", APP)).toBe("/keys/abc?renew=1#x");
    expect(safeCallbackUrl("/admin/audit?actor=a%40b", APP)).toBe("/admin/audit?actor=a%40b");
  });

  it("refuses every way out to another host", () => {
    for (const raw of [
      "//evil.example",
      "/\t/evil.example",
      "/%09/evil.example",
      "/\n/evil.example",
      "/%0a/evil.example",
      "/%0d/evil.example",
      "/\\evil.example",
      "/%5C%5Cevil.example",
      "/%2F/evil.example",
      "https://evil.example/",
      "http://keys.example.com.evil.example/",
      "javascript:alert(1)",
      "evil.example",
      "/%ZZ",
      "",
      "/".padEnd(3000, "a"),
    ]) {
      expect(safeCallbackUrl(raw, APP), JSON.stringify(raw)).toBe(DEFAULT_CALLBACK);
    }
  });

  it("refuses anything that is not a string", () => {
    expect(safeCallbackUrl(undefined, APP)).toBe(DEFAULT_CALLBACK);
    expect(safeCallbackUrl(["/keys"], APP)).toBe(DEFAULT_CALLBACK);
  });
});
