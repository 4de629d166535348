// A real local HTTP receiver for webhook tests: it checks every delivery's Standard Webhooks
// signature with the secret the test gives it, records what arrived, and can be told to fail.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyWebhook } from "../lib/webhooks/sign";

export interface Received {
  id: string;
  timestamp: string;
  signature: string;
  /** Which of the receiver's secrets the signature matched ([] when none did). */
  validFor: string[];
  body: string;
  payload: { type: string; timestamp: string; data: Record<string, unknown> };
  at: number;
}

export interface WebhookReceiver {
  url: string;
  received: Received[];
  /** TCP connections accepted, whether or not a request came over them. */
  connections: number;
  /** Secrets to check signatures against. */
  secrets: string[];
  /** Answer this status (default 204); 500 simulates a failing receiver. */
  status: number;
  waitFor(predicate: (r: Received[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const receiver = {
    received: [] as Received[],
    connections: 0,
    secrets: [] as string[],
    status: 204,
  } as WebhookReceiver;
  const server: Server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      const headers = {
        id: String(req.headers["webhook-id"] ?? ""),
        timestamp: String(req.headers["webhook-timestamp"] ?? ""),
        signature: String(req.headers["webhook-signature"] ?? ""),
      };
      let payload: Received["payload"];
      try {
        payload = JSON.parse(body) as Received["payload"];
      } catch {
        payload = { type: "(not json)", timestamp: "", data: {} };
      }
      receiver.received.push({
        ...headers,
        validFor: receiver.secrets.filter((s) => verifyWebhook(s, headers, body)),
        body,
        payload,
        at: Date.now(),
      });
      res.writeHead(receiver.status).end();
    });
  });
  server.on("connection", () => receiver.connections++);
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  receiver.waitFor = async (predicate, timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(receiver.received)) {
      if (Date.now() > deadline)
        throw new Error(
          `the receiver did not get what was expected in ${timeoutMs} ms; it got ${JSON.stringify(receiver.received.map((r) => r.payload.type))}`,
        );
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  receiver.close = () => new Promise((done) => server.close(() => done()));
  return receiver;
}
