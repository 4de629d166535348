import "server-only";
import pg from "pg";
import { KEY_CHANGED_CHANNEL, OWNER_CHANGED_CHANNEL } from "@/lib/db/owner-change";

export { KEY_CHANGED_CHANNEL };

/**
 * One dedicated connection LISTENing for key changes made by any instance (revoke, blacklist,
 * rotate send NOTIFY in their transaction, so it arrives only if they commit). While it is not
 * connected the cache is bypassed, and on every (re)connect the cache is cleared: a change
 * missed while disconnected can never be served from memory. It also hears owners' renames
 * (lib/db/owner-change.ts), for the owner names that verify answers carry.
 */
export class KeyChangeListener {
  private client: pg.Client | null = null;
  private stopped = false;
  connected = false;

  constructor(
    private readonly connectionString: string,
    private readonly onChange: (keyId: string) => void,
    private readonly onReset: () => void,
    private readonly onOwnerChange: (ownerId: string) => void,
  ) {}

  start(): void {
    void this.connect(0);
  }

  private async connect(attempt: number): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({
      connectionString: this.connectionString,
      connectionTimeoutMillis: 3000,
      application_name: "keyward-listener",
    });
    client.on("notification", (message) => {
      if (!message.payload) return;
      if (message.channel === KEY_CHANGED_CHANNEL) this.onChange(message.payload);
      else if (message.channel === OWNER_CHANGED_CHANNEL) this.onOwnerChange(message.payload);
    });
    const lost = () => {
      if (this.client !== client) return;
      this.connected = false;
      this.client = null;
      this.onReset();
      client.end().catch(() => undefined);
      setTimeout(() => void this.connect(attempt + 1), Math.min(30_000, 500 * 2 ** attempt)).unref();
    };
    client.on("error", lost);
    client.on("end", lost);
    try {
      await client.connect();
      await client.query(`LISTEN ${KEY_CHANGED_CHANNEL}; LISTEN ${OWNER_CHANGED_CHANNEL}`);
      this.client = client;
      this.onReset();
      this.connected = true;
    } catch {
      client.removeAllListeners();
      client.end().catch(() => undefined);
      setTimeout(() => void this.connect(attempt + 1), Math.min(30_000, 500 * 2 ** attempt)).unref();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.connected = false;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}
