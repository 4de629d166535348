import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZListUsersQuery } from "@/lib/users/admin-users";
import { PAGING } from "@/app/api/examples";

export const GET = declareRoute({
  access: "admin",
  scope: "admin:read",
  query: ZListUsersQuery,
  operationId: "adminListUsers",
  summary: "Every account",
  tag: "Admin",
  responses: R.ok(R.ZUserPage),
  examples: { query: { q: ["example", "@"], ...PAGING } },
});
