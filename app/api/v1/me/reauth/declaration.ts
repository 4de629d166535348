import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZReauthRequest } from "@/lib/auth/recent-auth";
import { z } from "zod";

export const GET = declareRoute({
  access: "user",
  scope: null,
  beforeEnrolment: true,
  operationId: "getReauth",
  summary: "Whether dangerous actions need re-authentication now",
  tag: "Account",
  responses: R.ok(R.ZReauthOptions),
});

export const POST = declareRoute({
  access: "user",
  scope: null,
  beforeEnrolment: true,
  body: ZReauthRequest,
  operationId: "reauthenticate",
  summary: "Prove it is you again (sudo mode)",
  description:
    "`password`, or `otp` (a TOTP code or a recovery code). The session then counts as recently authenticated for 10 minutes (its cookie is issued again). A wrong one is 422 and counts like a failed sign-in (429 after too many).",
  tag: "Account",
  responses: R.ok(z.object({ recentAuthUntil: z.iso.datetime() })),
  errors: [429],
  examples: { body: { password: ["wrong-password"], otp: ["123456", "abcde-fghjk"] } },
});
