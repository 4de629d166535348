// Example: Next.js proxy.ts (Next 16's middleware.ts) admitting /api/* only with a good API key.
// Copy it to your app's root as proxy.ts. Route handlers then read the caller from the headers
// set here; the proxy overwrites them on every matched request, so a client cannot send its own.
import { NextResponse, type NextRequest } from "next/server";
import { KeywardClient } from "@keyward/client";
import { keywardGate } from "@keyward/client/next";

const keyward = new KeywardClient({
  baseUrl: process.env.KEYWARD_URL ?? "http://localhost:3000",
  // A token with the `verify` scope; needed where Keyward runs with VERIFY_AUTH=required.
  token: process.env.KEYWARD_VERIFY_TOKEN,
  verifyCache: { ttlMs: 5_000 },
});

export async function proxy(req: NextRequest): Promise<Response> {
  const gate = await keywardGate(req, { client: keyward, scope: "read" });
  if (gate instanceof Response) return gate; // 401, 403, 429 or 503, as Keyward's own gate answers
  const headers = new Headers(req.headers);
  headers.set("x-api-key-id", gate.keyId);
  headers.set("x-api-key-owner", gate.ownerId);
  return NextResponse.next({ request: { headers } });
}

export const config = { matcher: "/api/:path*" };
