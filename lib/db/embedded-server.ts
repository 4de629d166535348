// Serves one PGlite database over the PostgreSQL wire protocol to several client connections
// (a pg Pool, the test runner, the migration tool), so the app talks to it exactly as to a real
// server. PGlite is a single backend: every connection shares its one session. The protocol
// only works if each client's exchange reaches it whole, so this server hands the backend to one
// connection at a time, from its first message until that connection is idle again (its Sync or
// simple query has been answered and no transaction is open). @electric-sql/pglite-socket
// switched connections between single messages outside transactions, which let one pool
// connection's Parse meet another's Bind: under concurrent load queries failed, or read rows
// meant for another query. Listens on a Unix socket, so file permissions decide who may connect.
import { chmodSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import type { PGlite } from "@electric-sql/pglite";
import { log } from "@/lib/log/logger";

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;
const SYNC = Buffer.from([0x53, 0, 0, 0, 4]); // 'S', length 4

/** One connection at a time owns the backend; the others wait their turn, first come first served. */
class BackendGate {
  private owner: number | null = null;
  private waiting: { id: number; admit: () => void }[] = [];

  acquire(id: number): Promise<void> {
    if (this.owner === null || this.owner === id) {
      this.owner = id;
      return Promise.resolve();
    }
    return new Promise((admit) => this.waiting.push({ id, admit }));
  }

  release(id: number): void {
    if (this.owner !== id) return;
    const next = this.waiting.shift();
    this.owner = next?.id ?? null;
    next?.admit();
  }

  owns(id: number): boolean {
    return this.owner === id;
  }

  /** A closed connection gives up its turn, and any place in the line. */
  forget(id: number): void {
    this.waiting = this.waiting.filter((w) => w.id !== id);
    this.release(id);
  }
}

export interface EmbeddedServer {
  close(): Promise<void>;
}

export async function serveEmbedded(db: PGlite, socketPath: string): Promise<EmbeddedServer> {
  const gate = new BackendGate();
  const sockets = new Set<Socket>();
  let nextId = 1;

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    const id = nextId++;
    let buffer: Buffer = Buffer.alloc(0);
    let started = false;
    let chain = Promise.resolve();
    // PGlite hands out views of its WebAssembly memory, reused as soon as we return: copy, since
    // a busy socket queues what it is given instead of sending it at once.
    const write = (data: Uint8Array) => {
      if (data.length > 0 && socket.writable) socket.write(Buffer.from(data));
    };

    /** Runs one complete message on the backend, within this connection's turn. */
    const run = async (message: Buffer, endsExchange: boolean) => {
      await gate.acquire(id);
      try {
        await db.runExclusive(() => db.execProtocolRawStream(new Uint8Array(message), { onRawData: write }));
      } finally {
        if (endsExchange && !db.isInTransaction()) gate.release(id);
      }
    };

    const onMessages = async () => {
      for (;;) {
        if (!started) {
          if (buffer.length < 8) return;
          const length = buffer.readInt32BE(0);
          const code = buffer.readInt32BE(4);
          if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
            buffer = buffer.subarray(8);
            socket.write("N"); // no encryption: it is a local socket
            continue;
          }
          if (code === CANCEL_REQUEST || code !== PROTOCOL_3 || length > 10_000) {
            socket.destroy(); // cancellation is not supported; anything else is not PostgreSQL
            return;
          }
          if (buffer.length < length) return;
          const startup = buffer.subarray(0, length);
          buffer = buffer.subarray(length);
          started = true;
          await run(startup, true);
          continue;
        }
        if (buffer.length < 5) return;
        const length = 1 + buffer.readInt32BE(1);
        if (buffer.length < length) return;
        const message = buffer.subarray(0, length);
        buffer = buffer.subarray(length);
        const type = String.fromCharCode(message[0]!);
        if (type === "X") {
          socket.end(); // Terminate ends this connection, never the shared session
          return;
        }
        // A Sync or a simple Query ends an exchange: the answer carries ReadyForQuery.
        await run(message, type === "S" || type === "Q");
      }
    };

    socket.on("data", (data: Buffer) => {
      buffer = buffer.length ? Buffer.concat([buffer, data]) : data;
      chain = chain.then(onMessages).catch((error: unknown) => {
        log.error({ err: error }, "embedded database connection failed");
        socket.destroy();
      });
    });
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      sockets.delete(socket);
      void chain.then(async () => {
        // A connection that vanished mid-exchange or mid-transaction must not leave either
        // behind for the next one: end the exchange (Sync) and roll back, then let others in.
        if (gate.owns(id)) {
          await db.runExclusive(() => db.execProtocolRaw(new Uint8Array(SYNC))).catch(() => undefined);
          if (db.isInTransaction()) await db.exec("ROLLBACK").catch(() => undefined);
        }
        gate.forget(id);
      });
    });
  });

  await new Promise<void>((ready, fail) => {
    server.once("error", fail);
    server.listen(socketPath, () => ready());
  });
  chmodSync(socketPath, 0o600);

  return {
    close: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}
