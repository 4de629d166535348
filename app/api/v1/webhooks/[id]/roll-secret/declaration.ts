import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZIdParams } from "@/lib/api/text";
import { z } from "zod";

export const POST = declareRoute({
  access: "user",
  scope: "webhooks:write",
  params: ZIdParams,
  operationId: "rollWebhookSecret",
  summary: "A new signing secret",
  description: "The old secret keeps signing alongside the new one until `previousValidUntil`.",
  tag: "Webhooks",
  responses: R.ok(z.object({ secret: z.string(), previousValidUntil: z.iso.datetime() })),
});
