import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZIdParams } from "@/lib/api/text";
import { ZRenamePasskeyRequest } from "@/lib/passkeys/schemas";

export const PATCH = declareRoute({
  access: "user",
  scope: null,
  params: ZIdParams,
  body: ZRenamePasskeyRequest,
  operationId: "renamePasskey",
  summary: "Rename a passkey",
  tag: "Account",
  responses: R.ok(R.ZPasskey),
  examples: { body: { name: ["Phone", "x".repeat(65)] } },
});

export const DELETE = declareRoute({
  access: "user",
  scope: null,
  params: ZIdParams,
  operationId: "removePasskey",
  summary: "Remove a passkey",
  tag: "Account",
  responses: R.ok(R.flag("deleted", true)),
});
