// Reach a Keyward server as a client of an address of its own. The test run's "down" server (its
// database unreachable) allows 3 key checks a minute per client address, and
// lib/keys/check/verify.int.test.ts spends exactly that budget from 127.0.0.1 to prove its 429; calls
// made through here come from another loopback address (Linux routes all of 127/8 to lo), so
// they neither spend that budget nor run out of their own.
import { connect, createServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { randomInt } from "node:crypto";

export interface Relay {
  /** Use this base URL instead of the server's. */
  url: string;
  close(): Promise<void>;
}

export async function relayAsAnotherClient(baseUrl: string): Promise<Relay> {
  const target = new URL(baseUrl);
  const localAddress = `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect({ host: target.hostname, port: Number(target.port), localAddress });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("error", () => undefined);
      s.on("close", () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        for (const s of sockets) s.destroy();
        server.close(() => done());
      }),
  };
}
