// A bound on the connections one client address holds open at once, so that one address cannot
// take every socket the server has with idle or slow connections (each is also cut by the
// server's timeouts, but it can open them faster than those cut them). Counted per socket peer,
// as rate limits count (IPv6 by /64). A proxy named in TRUSTED_PROXIES is exempt: every client
// behind it arrives on its connections, so the bound would be theirs together; that proxy is the
// place to bound each of them.
import type { Server } from "node:http";
import type { Socket } from "node:net";
import { normalize, rateLimitKey, type TrustProxy } from "@/lib/net/client-address";
import { log } from "@/lib/log/logger";

/** Refusals come in floods: one line in the log a minute says enough. */
const WARN_EVERY_MS = 60_000;

/** Destroys a new connection when its address already holds `max` open ones (0: no bound). */
export function limitConnectionsPerClient(server: Server, max: number, trust: TrustProxy): void {
  if (max <= 0) return;
  const open = new Map<string, number>();
  let warnedAt = -Infinity;
  server.on("connection", (socket: Socket) => {
    const address = socket.remoteAddress === undefined ? null : normalize(socket.remoteAddress);
    if (address === null || trust(address, 0)) return;
    const key = rateLimitKey(address);
    const count = (open.get(key) ?? 0) + 1;
    if (count > max) {
      if (Date.now() - warnedAt >= WARN_EVERY_MS) {
        warnedAt = Date.now();
        // A proxy nobody named looks like one greedy client: say how to tell them apart.
        log.warn(
          { client: key, max },
          `refusing connections from ${key}: it holds ${max} already (HTTP_MAX_CONNECTIONS_PER_CLIENT); a proxy belongs in TRUSTED_PROXIES`,
        );
      }
      return void socket.destroy();
    }
    open.set(key, count);
    socket.once("close", () => {
      const left = (open.get(key) ?? 1) - 1;
      if (left > 0) open.set(key, left);
      else open.delete(key);
    });
  });
}
