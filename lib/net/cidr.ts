// Address lists: CIDRs an owner allows a key to be used from (lib/limits). Strict parsing (four
// decimal parts for IPv4, no zone ids), canonical storage (the network address, compact IPv6),
// and a matcher compiled once per key record, so a check on the verify path is a few integer
// comparisons. IPv4-mapped IPv6 addresses (::ffff:203.0.113.7) match IPv4 networks.
import ipaddr from "ipaddr.js";
import { normalize } from "./client-address";

type Range = [ipaddr.IPv4, number] | [ipaddr.IPv6, number];

function parseStrict(value: string): Range | null {
  const text = value.trim();
  if (text.length === 0 || text.length > 60) return null;
  const slash = text.indexOf("/");
  const address = slash === -1 ? text : text.slice(0, slash);
  const bitsText = slash === -1 ? null : text.slice(slash + 1);
  if (bitsText !== null && !/^\d{1,3}$/.test(bitsText)) return null;
  if (ipaddr.IPv4.isValidFourPartDecimal(address)) {
    const bits = bitsText === null ? 32 : Number(bitsText);
    return bits <= 32 ? [ipaddr.IPv4.parse(address), bits] : null;
  }
  if (address.includes("%") || !ipaddr.IPv6.isValid(address)) return null;
  const parsed = ipaddr.IPv6.parse(address);
  const bits = bitsText === null ? 128 : Number(bitsText);
  if (bits > 128) return null;
  // An IPv4-mapped network is an IPv4 network: keep one form, so matching needs one kind.
  if (parsed.isIPv4MappedAddress() && bits >= 96) return [parsed.toIPv4Address(), bits - 96];
  return [parsed, bits];
}

/**
 * "203.0.113.7" → "203.0.113.7/32", "10.1.2.3/8" → "10.0.0.0/8", "2001:DB8::1/32" →
 * "2001:db8::/32"; null for anything that is not an address or CIDR.
 */
export function normalizeCidr(value: string): string | null {
  const range = parseStrict(value);
  if (!range) return null;
  const [address, bits] = range;
  const network =
    address.kind() === "ipv4"
      ? ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${bits}`)
      : ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${bits}`);
  return `${network.toString()}/${bits}`;
}

/** Whether an address is in any of the networks. */
export type AddressMatcher = (address: string) => boolean;

/**
 * A plain dotted-quad IPv4 address as an unsigned 32-bit number, or null for anything else (IPv6,
 * bracketed or mapped forms go the long way through ipaddr.js). The verify path's common case.
 */
function quad(address: string): number | null {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < address.length; i++) {
    const c = address.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return null;
    } else if (c === 46 && digits > 0 && dots < 3) {
      value = value * 256 + part;
      part = 0;
      digits = 0;
      dots += 1;
    } else return null;
  }
  return dots === 3 && digits > 0 ? value * 256 + part : null;
}

/** Compiles stored CIDRs (normalizeCidr's form; anything unparsable is skipped, never matched). */
export function compileAllowlist(cidrs: readonly string[]): AddressMatcher {
  // IPv4 networks as (network, mask) numbers: a match is one AND and one comparison.
  const v4: { network: number; mask: number }[] = [];
  const v6: [ipaddr.IPv6, number][] = [];
  for (const cidr of cidrs) {
    const range = parseStrict(cidr);
    if (!range) continue;
    if (range[0].kind() === "ipv4") {
      const bits = range[1];
      const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
      v4.push({ network: (quad(range[0].toString())! & mask) >>> 0, mask });
    } else v6.push(range as [ipaddr.IPv6, number]);
  }
  const inV4 = (ip: number) => v4.some(({ network, mask }) => (ip & mask) >>> 0 === network);
  return (address) => {
    const fast = quad(address);
    if (fast !== null) return inV4(fast);
    const canonical = normalize(address);
    if (canonical === null) return false;
    const mapped = quad(canonical);
    if (mapped !== null) return inV4(mapped);
    const ip = ipaddr.IPv6.parse(canonical);
    return v6.some((range) => ip.match(range));
  };
}
