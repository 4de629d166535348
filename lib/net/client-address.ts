// Who is calling. The socket's peer, or, behind proxies the operator names in TRUSTED_PROXIES,
// the rightmost address in X-Forwarded-For that is not one of them: never whatever a header
// says on its own (anyone can write one). Pure, so Keyward's HTTP server (server/), the app's
// routes and the tests share it.
import ipaddr from "ipaddr.js";
import proxyaddr from "proxy-addr";

/** Set by Keyward's HTTP server on every request it passes on; any client copy is replaced. */
export const CLIENT_IP_HEADER = "x-keyward-client-ip";

/** (address, hop) → is this hop a proxy we trust? hop 0 is the socket's peer. */
export type TrustProxy = (address: string, hop: number) => boolean;

const MAX_HOPS = 20;

/**
 * TRUSTED_PROXIES: empty (no proxy: the socket's peer is the client), a number of hops
 * ("1": one reverse proxy in front), or addresses and CIDRs, comma-separated, also the names
 * `loopback`, `linklocal` and `uniquelocal`. Throws on anything else.
 */
export function parseTrustedProxies(setting: string | undefined): TrustProxy {
  const value = setting?.trim() ?? "";
  if (value === "" || value === "0") return () => false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > MAX_HOPS) throw new Error(`TRUSTED_PROXIES: at most ${MAX_HOPS} hops`);
    return (_address, hop) => hop < hops;
  }
  const list = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  // compile() throws "invalid IP address" for a bad entry: start-up fails loudly.
  return proxyaddr.compile(list);
}

/**
 * The client of a request whose socket peer is `socketAddress` and whose X-Forwarded-For is
 * `forwardedFor`: walk from the socket leftwards while the hop is trusted. null when the
 * address that walk ends on is not an IP address (a garbage header entry).
 */
export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | null | undefined,
  trust: TrustProxy,
): string | null {
  if (!socketAddress) return null;
  // The chain proxy-addr walks: the socket's peer, then X-Forwarded-For from right to left.
  const chain = [
    socketAddress,
    ...(forwardedFor
      ? forwardedFor
          .split(",")
          .map((s) => s.trim())
          .reverse()
      : []),
  ].slice(0, MAX_HOPS + 1);
  let client = chain[0]!;
  for (let hop = 0; hop < chain.length - 1; hop++) {
    if (!trust(normalize(chain[hop]!) ?? chain[hop]!, hop)) break;
    client = chain[hop + 1]!;
  }
  return normalize(client);
}

/** A valid IP address in its canonical form (IPv4-mapped IPv6 as IPv4), or null. */
export function normalize(address: string): string | null {
  if (address.length > 64) return null;
  const bare = address.startsWith("[") && address.endsWith("]") ? address.slice(1, -1) : address;
  // Four decimal parts only: ipaddr.js would also take "0x7f.1", which no proxy writes.
  if (ipaddr.IPv4.isValidFourPartDecimal(bare)) return ipaddr.IPv4.parse(bare).toString();
  if (!ipaddr.IPv6.isValid(bare)) return null;
  const parsed = ipaddr.IPv6.parse(bare);
  return parsed.isIPv4MappedAddress() ? parsed.toIPv4Address().toString() : parsed.toString();
}

/**
 * The bucket a rate limiter counts a client in: the address itself for IPv4, the /64 network
 * for IPv6 (one host usually holds a whole /64, so single addresses are free to rotate).
 */
export function rateLimitKey(address: string | null): string {
  if (!address) return "unknown";
  if (!ipaddr.IPv6.isValid(address)) return address;
  const parts = ipaddr.IPv6.parse(address)
    .parts.slice(0, 4)
    .map((part) => part.toString(16));
  return `${parts.join(":")}::/64`;
}
