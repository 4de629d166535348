// GET /api/v1/protected/whoami – the key and owner the gate (proxy.ts) authenticated
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { gatedCaller } from "@/lib/keys/check/gated-caller";
import * as declared from "./declaration";

export const GET = withApi(declared.GET, async ({ req }) => json(await gatedCaller(req.headers)));
