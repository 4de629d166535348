import { describe, expect, it } from "vitest";
import { clientAddress, normalize, parseTrustedProxies, rateLimitKey } from "./client-address";

describe("clientAddress", () => {
  const none = parseTrustedProxies(undefined);

  it("is the socket's peer when no proxy is trusted, whatever X-Forwarded-For says", () => {
    expect(clientAddress("203.0.113.7", null, none)).toBe("203.0.113.7");
    expect(clientAddress("203.0.113.7", "1.2.3.4", none)).toBe("203.0.113.7");
    expect(clientAddress("::ffff:203.0.113.7", "1.2.3.4, 5.6.7.8", none)).toBe("203.0.113.7");
  });

  it("takes the rightmost address that is not a trusted proxy", () => {
    const trusted = parseTrustedProxies("10.0.0.0/8, 192.168.1.1");
    // A client-written entry (6.6.6.6) sits left of the real client the proxy appended.
    expect(clientAddress("10.0.0.2", "6.6.6.6, 198.51.100.9", trusted)).toBe("198.51.100.9");
    expect(clientAddress("10.0.0.2", "6.6.6.6, 198.51.100.9, 192.168.1.1", trusted)).toBe("198.51.100.9");
    // The socket itself is not a trusted proxy: its X-Forwarded-For is ignored.
    expect(clientAddress("198.51.100.1", "6.6.6.6", trusted)).toBe("198.51.100.1");
  });

  it("counts hops", () => {
    expect(clientAddress("10.0.0.2", "6.6.6.6, 198.51.100.9", parseTrustedProxies("1"))).toBe("198.51.100.9");
    expect(clientAddress("10.0.0.2", "6.6.6.6, 198.51.100.9", parseTrustedProxies("2"))).toBe("6.6.6.6");
    // More hops than addresses: the leftmost is the best there is.
    expect(clientAddress("10.0.0.2", "198.51.100.9", parseTrustedProxies("5"))).toBe("198.51.100.9");
  });

  it("gives null for a garbage entry instead of trusting it", () => {
    expect(clientAddress("10.0.0.2", "evil\u0000, not-an-ip", parseTrustedProxies("1"))).toBeNull();
    expect(clientAddress(undefined, "1.2.3.4", none)).toBeNull();
  });

  it("refuses a bad TRUSTED_PROXIES value", () => {
    expect(() => parseTrustedProxies("10.0.0.0/99")).toThrow();
    expect(() => parseTrustedProxies("99")).toThrow();
  });
});

describe("normalize and rateLimitKey", () => {
  it("accepts only real addresses, in canonical form", () => {
    expect(normalize("2001:DB8:0:0:0:0:0:1")).toBe("2001:db8::1");
    expect(normalize("[2001:db8::1]")).toBe("2001:db8::1");
    expect(normalize("0x7f.1")).toBeNull();
    expect(normalize("1.2.3.256")).toBeNull();
    expect(normalize("x".repeat(15_000))).toBeNull();
  });

  it("counts IPv6 clients by /64 and IPv4 clients by address", () => {
    expect(rateLimitKey("2001:db8:1:2:aaaa::1")).toBe(rateLimitKey("2001:db8:1:2:bbbb::2"));
    expect(rateLimitKey("2001:db8:1:2::1")).not.toBe(rateLimitKey("2001:db8:1:3::1"));
    expect(rateLimitKey("198.51.100.1")).toBe("198.51.100.1");
    expect(rateLimitKey(null)).toBe("unknown");
  });
});
