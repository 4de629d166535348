import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { z } from "zod";

export const GET = declareRoute({
  access: "user",
  scope: null,
  operationId: "getGitHubLink",
  summary: "Whether GitHub is connected",
  tag: "Account",
  responses: R.ok(z.object({ linked: z.boolean(), hasPassword: z.boolean() })),
});

export const DELETE = declareRoute({
  access: "user",
  scope: null,
  operationId: "unlinkGitHub",
  summary: "Disconnect GitHub",
  tag: "Account",
  responses: R.ok(R.flag("linked", false)),
  errors: [409],
});
