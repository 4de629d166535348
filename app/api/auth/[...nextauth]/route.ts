// GET/POST /api/auth/* – next-auth's sign-in, callback and session endpoints, with the body of a
// POST read under the same cap as every other route before next-auth sees it
import { NextRequest } from "next/server";
import { readBody } from "@/lib/api/read-body";
import { problem, toKeywardError } from "@/lib/api/respond";
import { handlers } from "@/lib/auth";
import { declaredRoute } from "@/lib/routes/with-api";
import * as declared from "./declaration";

export const GET = declaredRoute(declared.GET, (req: NextRequest) => handlers.GET(req));

export const POST = declaredRoute(declared.POST, async function POST(req: NextRequest): Promise<Response> {
  let body: Uint8Array<ArrayBuffer>;
  try {
    body = Uint8Array.from(await readBody(req));
  } catch (error) {
    return problem(toKeywardError(error, "POST /api/auth"), { connection: "close" });
  }
  return handlers.POST(new NextRequest(req.url, { method: "POST", headers: req.headers, body }));
});
