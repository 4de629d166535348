// A TCP relay between an app server and its database that a test can cut and restore: a real
// network fault (connections reset, new ones refused), not a mocked driver.
import { connect, createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export interface TcpProxy {
  port: number;
  /** Resets every relayed connection and refuses new ones. */
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export type Target = { host: string; port: number } | { path: string };

/** Where a PostgreSQL URL points: a TCP address, or a Unix socket (the embedded database). */
export function targetOf(databaseUrl: string): Target {
  const url = new URL(databaseUrl);
  const socketDir = url.searchParams.get("host");
  if (socketDir?.startsWith("/")) return { path: `${socketDir}/.s.PGSQL.${url.port || 5432}` };
  return { host: url.hostname, port: Number(url.port || 5432) };
}

/** The same database, reached through the relay. */
export function urlThrough(databaseUrl: string, proxyPort: number): string {
  const url = new URL(databaseUrl);
  url.searchParams.delete("host");
  url.hostname = "127.0.0.1";
  url.port = String(proxyPort);
  return url.toString();
}

export async function startTcpProxy(target: Target): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const relay = (client: Socket) => {
    const upstream = "path" in target ? connect(target.path) : connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("error", () => undefined);
      s.on("close", () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  };
  let server: Server = createServer(relay);
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  const port = (server.address() as AddressInfo).port;
  const stop = () =>
    new Promise<void>((done) => {
      for (const s of sockets) s.destroy();
      server.close(() => done());
    });
  return {
    port,
    cut: stop,
    async restore() {
      server = createServer(relay);
      await new Promise<void>((ready) => server.listen(port, "127.0.0.1", ready));
    },
    close: stop,
  };
}
