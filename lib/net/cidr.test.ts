import { describe, expect, it } from "vitest";
import ipaddr from "ipaddr.js";
import { compileAllowlist, normalizeCidr } from "./cidr";

describe("normalizeCidr", () => {
  it.each([
    ["203.0.113.7", "203.0.113.7/32"],
    ["10.1.2.3/8", "10.0.0.0/8"],
    [" 192.168.0.0/16 ", "192.168.0.0/16"],
    ["0.0.0.0/0", "0.0.0.0/0"],
    ["2001:DB8::1/32", "2001:db8::/32"],
    ["2001:db8::1", "2001:db8::1/128"],
    ["::/0", "::/0"],
    ["::ffff:203.0.113.7", "203.0.113.7/32"],
    ["::ffff:10.0.0.0/104", "10.0.0.0/8"],
  ])("%s → %s", (input, expected) => expect(normalizeCidr(input)).toBe(expected));

  it.each([
    "",
    "1",
    "10.1",
    "0x7f.0.0.1",
    "256.1.1.1",
    "10.0.0.0/33",
    "2001:db8::/129",
    "10.0.0.0/",
    "10.0.0.0/-1",
    "fe80::1%eth0",
    "example.com",
    "10.0.0.0/8/8",
    "1.2.3.4\u0000",
    "10.0.0.0/ 8",
  ])("refuses %j", (input) => expect(normalizeCidr(input)).toBeNull());
});

describe("compileAllowlist", () => {
  const allowed = compileAllowlist(["203.0.113.0/24", "10.0.0.5/32", "2001:db8::/32"]);

  it.each([
    ["203.0.113.0", true],
    ["203.0.113.255", true],
    ["203.0.114.0", false],
    ["10.0.0.5", true],
    ["10.0.0.6", false],
    ["::ffff:203.0.113.9", true],
    ["2001:db8:ffff::1", true],
    ["2001:db9::1", false],
    ["[2001:db8::1]", true],
    ["not an ip", false],
    ["", false],
  ])("%s → %s", (address, expected) => expect(allowed(address)).toBe(expected));

  it("matches nothing when empty, and everything with /0", () => {
    expect(compileAllowlist([])("203.0.113.1")).toBe(false);
    const any = compileAllowlist(["0.0.0.0/0", "::/0"]);
    expect(any("198.51.100.1")).toBe(true);
    expect(any("2001:db8::1")).toBe(true);
  });

  it("keeps IPv4 networks from matching IPv6 addresses outside the mapped range", () => {
    expect(compileAllowlist(["0.0.0.0/0"])("2001:db8::1")).toBe(false);
  });

  it.each([
    "203.0.113",
    "203.0.113.",
    ".203.0.113.1",
    "203..113.1",
    "203.0.113.1.1",
    "203.0.113.1/32",
    "203.0.113.1 ",
    "2030.0.113.1",
  ])("matches no malformed IPv4 text: %j", (address) => expect(compileAllowlist(["0.0.0.0/0"])(address)).toBe(false));

  it("agrees with ipaddr.js on random addresses and networks (the IPv4 fast path)", () => {
    const random = (n: number) => Math.floor(Math.random() * n);
    for (let i = 0; i < 2000; i++) {
      const network = `${random(256)}.${random(256)}.${random(256)}.${random(256)}/${random(33)}`;
      const address =
        Math.random() < 0.5
          ? `${random(256)}.${random(256)}.${random(256)}.${random(256)}`
          : network.split("/")[0]!.replace(/\d+$/, String(random(256)));
      const [base, bits] = ipaddr.parseCIDR(network);
      const expected = ipaddr.IPv4.parse(address).match(base as ipaddr.IPv4, bits);
      expect(compileAllowlist([normalizeCidr(network)!])(address), `${address} in ${network}`).toBe(expected);
    }
  });
});
