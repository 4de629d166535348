// Webhook URLs are typed by users, and Keyward POSTs to them from inside the operator's
// network: an endpoint must not reach loopback, link-local (cloud metadata at 169.254.169.254),
// private or otherwise reserved addresses, unless the operator allows it (WEBHOOK_ALLOW_PRIVATE,
// for tests and a local quick start). Checked when an endpoint is saved, and again on every
// connection, on the addresses the connection actually uses (DNS may change in between).
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";

/** Whether an address is an ordinary public unicast address. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address); // IPv4-mapped IPv6 is judged as IPv4
  return parsed.range() === "unicast";
}

export class BlockedTargetError extends Error {
  constructor(host: string, address: string) {
    super(`${host} resolves to ${address}, which is not a public address (set WEBHOOK_ALLOW_PRIVATE=true to allow it).`);
    this.name = "BlockedTargetError";
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

/** Resolves a URL's host now and refuses a non-public one (when an endpoint is saved). */
export async function checkTarget(url: URL, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const addresses = ipaddr.isValid(host)
    ? [host]
    : (await new Promise<LookupAddress[]>((resolve, reject) => dnsLookup(host, { all: true }, (e, a) => (e ? reject(e) : resolve(a))))).map((a) => a.address);
  const blocked = addresses.find((a) => !isPublicAddress(a));
  if (blocked) throw new BlockedTargetError(host, blocked);
}
