import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZUpdatePreferencesRequest } from "@/lib/notify/preferences";

export const GET = declareRoute({
  access: "user",
  scope: null,
  operationId: "getPreferences",
  summary: "Your email preferences",
  tag: "Account",
  responses: R.ok(R.ZPreferencesView),
});

export const PATCH = declareRoute({
  access: "user",
  scope: null,
  body: ZUpdatePreferencesRequest,
  operationId: "updatePreferences",
  summary: "Change some email preferences",
  tag: "Account",
  responses: R.ok(R.ZPreferencesView),
  examples: {
    body: {
      emailReminders: [true, false],
      emailExpired: [true, false],
      emailBlacklisted: [true],
      timeZone: ["UTC", "Europe/Berlin"],
    },
  },
});
