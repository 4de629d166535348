import { describe, expect, it } from "vitest";
import { challengeOf } from "./challenges";
import { ZAuthenticationResponse, ZRegisterPasskeyRequest } from "./schemas";

const encode = (value: unknown) =>
  Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

describe("challengeOf", () => {
  it("reads the challenge a browser put in clientDataJSON", () => {
    expect(challengeOf(encode({ type: "webauthn.get", challenge: "abc_-123", origin: "http://localhost:3000" }))).toBe(
      "abc_-123",
    );
  });

  it("is null for anything else: not JSON, no challenge, not a string, empty, absurdly long", () => {
    for (const data of [
      encode("not json"),
      encode({}),
      encode({ challenge: 42 }),
      encode({ challenge: "" }),
      encode({ challenge: "x".repeat(513) }),
      encode([]),
      "",
      "%%%",
    ]) {
      expect(challengeOf(data)).toBeNull();
    }
  });
});

describe("what a browser may send", () => {
  const assertion = {
    id: "AQID",
    rawId: "AQID",
    type: "public-key",
    response: { clientDataJSON: encode({}), authenticatorData: "AAAA", signature: "AAAA", userHandle: "dTE" },
    clientExtensionResults: {},
  };

  it("takes a well-formed assertion, dropping what the server does not use", () => {
    const parsed = ZAuthenticationResponse.parse({ ...assertion, extra: "ignored" });
    expect(parsed.id).toBe("AQID");
    expect("extra" in parsed).toBe(false);
  });

  it("refuses fields that are not base64url, too long, or of another type", () => {
    expect(ZAuthenticationResponse.safeParse({ ...assertion, id: "a+b/" }).success).toBe(false);
    expect(ZAuthenticationResponse.safeParse({ ...assertion, type: "password" }).success).toBe(false);
    expect(
      ZAuthenticationResponse.safeParse({
        ...assertion,
        response: { ...assertion.response, signature: "A".repeat(2049) },
      }).success,
    ).toBe(false);
    expect(
      ZAuthenticationResponse.safeParse({ ...assertion, response: { ...assertion.response, userHandle: 7 } }).success,
    ).toBe(false);
  });

  it("a registration needs a name of 1 to 64 characters, trimmed, without NUL", () => {
    const response = {
      id: "AQID",
      rawId: "AQID",
      type: "public-key",
      response: { clientDataJSON: "e30", attestationObject: "oA" },
    };
    expect(ZRegisterPasskeyRequest.parse({ response, name: "  Laptop " }).name).toBe("Laptop");
    for (const name of ["", "   ", "x".repeat(65), "a\u0000b"])
      expect(ZRegisterPasskeyRequest.safeParse({ response, name }).success).toBe(false);
    expect(ZRegisterPasskeyRequest.safeParse({ response, name: "x", more: 1 }).success).toBe(false);
  });
});
