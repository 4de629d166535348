// Webhook URLs are typed by users, and Keyward POSTs to them from inside the operator's
// network: an endpoint must not reach loopback, link-local (cloud metadata at 169.254.169.254),
// private or otherwise reserved addresses, unless the operator allows it (WEBHOOK_ALLOW_PRIVATE,
// for tests and a local quick start). Checked when an endpoint is saved, and again at every
// delivery on the addresses the connection actually uses: DNS may change in between, and the
// operator may have allowed private targets when the endpoint was saved. A literal is checked
// before connecting, a name in the `lookup` hook, and every socket's remote address once it is
// connected, before a byte is written: Node calls no `lookup` for a literal, nor for a kept-alive
// socket it reuses.
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import type { LookupFunction, Socket } from "node:net";
import ipaddr from "ipaddr.js";

/**
 * What a user is told, whatever the reason a target was refused: which names resolve inside the
 * operator's network, and to what, is not theirs to learn. The detail goes to the server log.
 */
export const REFUSED_TARGET = "This address cannot receive webhooks: it must resolve to a public address.";

/** Whether an address is an ordinary public unicast address. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address) || isIPv4Compatible(address)) return false;
  // IPv4-mapped IPv6 is judged as the IPv4 address it is. NAT64, 6to4, Teredo and IPv4-translated
  // addresses have ranges of their own, not "unicast": refused whatever IPv4 address they carry.
  return ipaddr.process(address).range() === "unicast";
}

/**
 * IPv4-compatible IPv6 (::/96, deprecated by RFC 4291) is no public receiver's address, and
 * ipaddr.js gives it no range: it reads `::7f00:1` as ordinary unicast and `::127.0.0.1` as
 * IPv4-mapped (getaddrinfo writes the dotted form), so both spellings are caught here.
 */
function isIPv4Compatible(address: string): boolean {
  if (!ipaddr.IPv6.isValid(address)) return false;
  if (/^::(\d{1,3}\.){3}\d{1,3}(%.*)?$/.test(address)) return true;
  return ipaddr.IPv6.parse(address)
    .parts.slice(0, 6)
    .every((part) => part === 0);
}

/** A refused target: its message is REFUSED_TARGET, what it was is `detail` (for the log only). */
export class BlockedTargetError extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(REFUSED_TARGET);
    this.name = "BlockedTargetError";
  }

  get detail(): string {
    const what = this.host === this.address ? this.host : `${this.host} resolves to ${this.address}, which`;
    return `${what} is not a public address (WEBHOOK_ALLOW_PRIVATE=true allows it)`;
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for node:http(s) requests that refuses, at connection time, any resolved address
 * that is not public; with allowPrivate, the plain lookup.
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, "");
      const list = addresses as LookupAddress[];
      const blocked = allowPrivate ? undefined : list.find((a) => !isPublicAddress(a.address));
      if (blocked) return callback(new BlockedTargetError(hostname, blocked.address), "");
      if (options.all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

/** A URL's host when it is an IP literal (without IPv6's brackets), else null. */
export function literalHost(url: URL): string | null {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return ipaddr.isValid(host) ? host : null;
}

/**
 * Destroys a socket, with a BlockedTargetError, when the address it is connected to is not
 * public; connecting, as soon as it connects. For node:http(s) requests (their 'socket' event):
 * the error reaches the request, and nothing it wrote goes out.
 */
export function guardSocket(socket: Socket, host: string): void {
  const check = () => {
    const address = socket.remoteAddress ?? "";
    if (!isPublicAddress(address)) socket.destroy(new BlockedTargetError(host, address || "(no address)"));
  };
  // Prepended: node:http queues the request (and node:tls its ClientHello) on 'connect' too,
  // before this is added; run after them, they would already have written to the target.
  if (socket.connecting) socket.prependOnceListener("connect", check);
  else check();
}

/** Resolves a URL's host now and refuses a non-public one (when an endpoint is saved). */
export async function checkTarget(url: URL, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return;
  const literal = literalHost(url);
  const host = literal ?? url.hostname;
  const addresses = literal
    ? [literal]
    : (
        await new Promise<LookupAddress[]>((resolve, reject) =>
          dnsLookup(host, { all: true }, (e, a) => (e ? reject(e) : resolve(a))),
        )
      ).map((a) => a.address);
  const blocked = addresses.find((a) => !isPublicAddress(a));
  if (blocked) throw new BlockedTargetError(host, blocked);
}
