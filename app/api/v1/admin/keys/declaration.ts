import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZAdminKeysQuery } from "@/lib/keys/read/list-keys";
import { LIST_QUERY } from "@/app/api/examples";

export const GET = declareRoute({
  access: "admin",
  scope: "admin:read",
  query: ZAdminKeysQuery,
  operationId: "adminListKeys",
  summary: "Every key, searchable by owner, name, prefix; filtered by owner",
  tag: "Admin",
  responses: R.ok(R.ZKeyPage),
  examples: { query: { ...LIST_QUERY, ownerType: ["user", "team"], team: ["x"], user: ["x"] } },
});
