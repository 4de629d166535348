import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { z } from "zod";

export const GET = declareRoute({
  access: "user",
  scope: null,
  operationId: "getSsoLink",
  summary: "Whether the single sign-on identity is connected",
  description: "404 when single sign-on (OIDC_ISSUER) is not configured.",
  tag: "Account",
  responses: R.ok(z.object({ linked: z.boolean(), hasPassword: z.boolean(), name: z.string() })),
  errors: [404],
});

export const DELETE = declareRoute({
  access: "user",
  scope: null,
  operationId: "unlinkSso",
  summary: "Disconnect the single sign-on identity",
  tag: "Account",
  responses: R.ok(R.flag("linked", false)),
  errors: [404, 409],
});
