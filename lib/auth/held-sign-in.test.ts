import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHeldSignIn, HELD_SIGN_IN_TTL_MS, readHeldSignIn } from "./held-sign-in";
import { createLinkIntent } from "./link-intent";

const held = { provider: "github" as const, userId: "0f8fad5b-d9cb-469f-a165-70867728950e", sessionVersion: 2 };
let previous: string | undefined;
beforeAll(() => {
  previous = process.env.AUTH_SECRET;
  process.env.AUTH_SECRET = "a-test-secret-that-is-long-enough-for-hmac";
});
afterAll(() => {
  process.env.AUTH_SECRET = previous;
});

describe("held sign-ins", () => {
  it("read back what they wrote, for their provider only, for five minutes", () => {
    const now = Date.now();
    const cookie = createHeldSignIn(held, now);
    expect(readHeldSignIn(cookie, "github", now)).toEqual(held);
    expect(readHeldSignIn(cookie, "oidc", now)).toBeNull();
    expect(readHeldSignIn(cookie, "github", now + HELD_SIGN_IN_TTL_MS - 1)).toEqual(held);
    expect(readHeldSignIn(cookie, "github", now + HELD_SIGN_IN_TTL_MS)).toBeNull();
  });

  it("refuse a changed account or version, another purpose's value, a forged signature and garbage", () => {
    const now = Date.now();
    const parts = createHeldSignIn(held, now).split(".");
    expect(readHeldSignIn([parts[0], "someone-else", ...parts.slice(2)].join("."), "github", now)).toBeNull();
    expect(readHeldSignIn([parts[0], parts[1], "3", ...parts.slice(3)].join("."), "github", now)).toBeNull();
    expect(readHeldSignIn([...parts.slice(0, 4), "x".repeat(43)].join("."), "github", now)).toBeNull();
    // A link intent has the same shape of signed fields; made for another purpose, it proves nothing here.
    const intent = createLinkIntent("github", { userId: held.userId, sessionVersion: 2, sessionId: "s" }, now);
    expect(readHeldSignIn(intent, "github", now)).toBeNull();
    for (const junk of [undefined, "", "a.b.c", ".....", "x".repeat(10_000)])
      expect(readHeldSignIn(junk, "github", now)).toBeNull();
  });
});
