import { env } from "@/lib/env";
import { CLIENT_IP_HEADER, clientAddress, parseTrustedProxies } from "@/lib/net/client-address";
import { behindFrontServer } from "@/lib/process/lifecycle";

const trust = parseTrustedProxies(env.TRUSTED_PROXIES);

/**
 * The caller's address, for rate limits and the audit log. Keyward's server (server/) works it
 * out from the socket and TRUSTED_PROXIES and passes it in its own header. Without that server
 * (a platform that runs `next start` itself) the socket is out of reach: the address is then
 * read from X-Forwarded-For as the platform's proxies wrote it, and only if TRUSTED_PROXIES says
 * how many there are; otherwise it is unknown (all such callers share one rate-limit bucket).
 */
export function clientIp(headers: Headers): string | null {
  if (behindFrontServer()) return headers.get(CLIENT_IP_HEADER);
  const forwarded = headers.get("x-forwarded-for");
  if (!env.TRUSTED_PROXIES || !forwarded) return null;
  const hops = forwarded.split(",");
  // The platform's proxy appended the address it saw: treat that entry as the socket's peer.
  return clientAddress(hops.pop()!.trim(), hops.join(","), (address, hop) => trust(address, hop + 1));
}
