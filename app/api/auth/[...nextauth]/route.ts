// GET/POST /api/auth/* – next-auth's sign-in, callback and session endpoints, with the body of a
// POST read under the same cap as every other route before next-auth sees it
import { NextRequest } from "next/server";
import { readBody } from "@/lib/api/read-body";
import { problem, toKeywardError } from "@/lib/api/respond";
import { handlers } from "@/lib/auth";

export const GET = handlers.GET;

export async function POST(req: NextRequest): Promise<Response> {
  let body: Uint8Array<ArrayBuffer>;
  try {
    body = Uint8Array.from(await readBody(req));
  } catch (error) {
    return problem(toKeywardError(error, "POST /api/auth"), { connection: "close" });
  }
  return handlers.POST(new NextRequest(req.url, { method: "POST", headers: req.headers, body }));
}
