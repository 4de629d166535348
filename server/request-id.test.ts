import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { parseTrustedProxies } from "@/lib/net/client-address";
import { bearerMatches } from "./metrics-endpoint";
import { requestIdOf } from "./request-id";

const request = (peer: string, id?: string) =>
  ({
    headers: id === undefined ? {} : { "x-request-id": id },
    socket: { remoteAddress: peer },
  }) as unknown as IncomingMessage;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("requestIdOf", () => {
  const trustLoopback = parseTrustedProxies("127.0.0.1");
  it("takes a trusted proxy's id, in IPv4-mapped form too", () => {
    expect(requestIdOf(request("127.0.0.1", "abc-123"), trustLoopback)).toBe("abc-123");
    expect(requestIdOf(request("::ffff:127.0.0.1", "f0e1d2c3b4a5"), trustLoopback)).toBe("f0e1d2c3b4a5");
  });
  it("makes its own for anyone else, and for a proxy's malformed or oversized id", () => {
    expect(requestIdOf(request("198.51.100.7", "abc-123"), trustLoopback)).toMatch(UUID);
    expect(requestIdOf(request("127.0.0.1", "abc-123"), parseTrustedProxies(undefined))).toMatch(UUID);
    for (const bad of ["", "a b", "x\u0000", "é", "x".repeat(129), "a;b"])
      expect(requestIdOf(request("127.0.0.1", bad), trustLoopback), bad).toMatch(UUID);
    expect(requestIdOf(request("127.0.0.1"), trustLoopback)).toMatch(UUID);
    expect(requestIdOf(request("127.0.0.1"), trustLoopback)).not.toBe(requestIdOf(request("127.0.0.1"), trustLoopback));
  });
});

describe("bearerMatches", () => {
  const token = "a-metrics-token-of-some-length";
  it("accepts exactly the token as a Bearer credential", () => {
    expect(bearerMatches(`Bearer ${token}`, token)).toBe(true);
    expect(bearerMatches(`bearer ${token}`, token)).toBe(true);
  });
  it("refuses anything else", () => {
    for (const header of [
      undefined,
      "",
      "Bearer",
      "Bearer ",
      `Bearer ${token}x`,
      `Bearer ${token.slice(1)}`,
      `Basic ${token}`,
      token,
      `Bearer ${token} extra`,
    ]) {
      expect(bearerMatches(header, token), String(header)).toBe(false);
    }
  });
});
