import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLinkIntent, LINK_INTENT_TTL_MS, readLinkIntent } from "./link-intent";

const intent = {
  userId: "0f8fad5b-d9cb-469f-a165-70867728950e",
  sessionVersion: 3,
  sessionId: "7c9e6679-7425-40de-944b-e07fc1f90ae7",
};
let previous: string | undefined;
beforeAll(() => {
  previous = process.env.AUTH_SECRET;
  process.env.AUTH_SECRET = "a-test-secret-that-is-long-enough-for-hmac";
});
afterAll(() => {
  process.env.AUTH_SECRET = previous;
});

describe("link intents", () => {
  it("reads back what it wrote, for its provider only", () => {
    const now = Date.now();
    const cookie = createLinkIntent("oidc", intent, now);
    expect(readLinkIntent(cookie, "oidc", now)).toEqual(intent);
    expect(readLinkIntent(cookie, "github", now)).toBeNull();
  });

  it("expires after ten minutes", () => {
    const now = Date.now();
    const cookie = createLinkIntent("github", intent, now);
    expect(readLinkIntent(cookie, "github", now + LINK_INTENT_TTL_MS - 1)).toEqual(intent);
    expect(readLinkIntent(cookie, "github", now + LINK_INTENT_TTL_MS)).toBeNull();
  });

  it("refuses a changed field, a forged signature and garbage", () => {
    const now = Date.now();
    const cookie = createLinkIntent("oidc", intent, now);
    const parts = cookie.split(".");
    expect(readLinkIntent([parts[0], "someone-else", ...parts.slice(2)].join("."), "oidc", now)).toBeNull();
    expect(readLinkIntent(["github", ...parts.slice(1)].join("."), "github", now)).toBeNull();
    expect(readLinkIntent([...parts.slice(0, 5), "x".repeat(43)].join("."), "oidc", now)).toBeNull();
    for (const junk of [undefined, "", "a.b.c", "....."]) expect(readLinkIntent(junk, "oidc", now)).toBeNull();
  });
});
