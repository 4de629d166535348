// GET /api/v1/protected/whoami – the key and owner the gate (proxy.ts) authenticated
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/api/with-api";
import { gatedCaller } from "@/lib/keys/gated-caller";

export const GET = withApi({ access: "public" }, async ({ req }) => json(await gatedCaller(req.headers)));
