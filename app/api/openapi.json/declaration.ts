import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { z } from "zod";

export const GET = declareRoute({
  access: "public",
  operationId: "openApiDocument",
  summary: "This document",
  tag: "Service",
  responses: R.ok(z.object({ openapi: z.string() }).loose(), "OpenAPI 3.1"),
});
