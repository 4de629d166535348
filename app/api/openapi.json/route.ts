// GET /api/openapi.json – the OpenAPI 3.1 description of this API, generated from the routes' own
// zod schemas (lib/openapi)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/api/with-api";
import { openApiDocument } from "@/lib/openapi/document";

export const GET = withApi({ access: "public" }, async () => json(openApiDocument(), { headers: { "cache-control": "public, max-age=300" } }));
