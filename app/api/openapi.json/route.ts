// GET /api/openapi.json – the OpenAPI 3.1 description of this API, generated from the routes' own
// zod schemas (lib/openapi)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { openApiDocument } from "@/lib/openapi/document";
import { DECLARED_ROUTES } from "../declarations";
import * as declared from "./declaration";

export const GET = withApi(declared.GET, async () =>
  json(openApiDocument(DECLARED_ROUTES), { headers: { "cache-control": "public, max-age=300" } }),
);
