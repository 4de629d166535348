import { describe, expect, it } from "vitest";
import { domainRefusal, jwtPayload, oidcClaims, oidcEmails } from "./oidc-identity";

const jwt = (payload: object) => `e30.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.sig`;

describe("oidcClaims", () => {
  it("merges the ID token and userinfo, userinfo winning", () => {
    const claims = oidcClaims(jwtPayload(jwt({ sub: "u1", email: "Old@Example.com", groups: ["a"] })), {
      sub: "u1",
      email: "New@Example.com",
      email_verified: true,
    });
    expect(claims).toEqual({ sub: "u1", name: null, email: "new@example.com", emailVerified: true, groups: ["a"] });
  });

  it("takes only true (or 'true') as verified, and a single group as a list", () => {
    expect(oidcClaims({ sub: "x", email: "a@b.c", email_verified: "true", groups: "admins" }, null)).toMatchObject({
      emailVerified: true,
      groups: ["admins"],
    });
    for (const v of [false, "false", 1, "yes", undefined, null])
      expect(oidcClaims({ sub: "x", email: "a@b.c", email_verified: v }, null)?.emailVerified).toBe(false);
  });

  it("refuses claims without a subject, and ignores garbage", () => {
    expect(oidcClaims({}, {})).toBeNull();
    expect(oidcClaims({ sub: 42 }, null)).toBeNull();
    expect(oidcClaims({ sub: "s", email: "no-at-sign", groups: [1, "g", {}] }, null)).toMatchObject({
      email: null,
      groups: ["g"],
    });
    expect(jwtPayload("not a jwt")).toBeNull();
    expect(jwtPayload(`a.${Buffer.from("[1]").toString("base64url")}.c`)).toBeNull();
    expect(jwtPayload(undefined)).toBeNull();
  });

  it("counts an address only when it is verified", () => {
    expect(oidcEmails({ sub: "s", name: null, email: "a@b.c", emailVerified: false, groups: [] })).toEqual({
      primary: null,
      verified: [],
    });
    expect(oidcEmails({ sub: "s", name: null, email: "a@b.c", emailVerified: true, groups: [] })).toEqual({
      primary: "a@b.c",
      verified: ["a@b.c"],
    });
  });
});

describe("domainRefusal", () => {
  const claims = (email: string | null, emailVerified = true) => ({
    sub: "s",
    name: null,
    email,
    emailVerified,
    groups: [],
  });
  it("lets anyone through without a list", () => {
    expect(domainRefusal(claims(null, false), [])).toBeNull();
  });
  it("with a list, wants a verified address in exactly one of the domains", () => {
    expect(domainRefusal(claims("ann@corp.example"), ["corp.example"])).toBeNull();
    expect(domainRefusal(claims("ann@corp.example", false), ["corp.example"])).toBe("unverified-identity");
    expect(domainRefusal(claims(null), ["corp.example"])).toBe("unverified-identity");
    expect(domainRefusal(claims("ann@evil.example"), ["corp.example"])).toBe("domain-not-allowed");
    expect(domainRefusal(claims("ann@sub.corp.example"), ["corp.example"])).toBe("domain-not-allowed");
    expect(domainRefusal(claims("ann@corp.example.evil"), ["corp.example"])).toBe("domain-not-allowed");
  });
});
