import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZIdParams } from "@/lib/api/text";
import { ZSetRoleRequest } from "@/lib/users/admin-users";
import { z } from "zod";

export const POST = declareRoute({
  access: "admin",
  scope: "admin:write",
  params: ZIdParams,
  body: ZSetRoleRequest,
  recentAuth: true,
  operationId: "adminSetRole",
  summary: "Make a user an admin or not",
  description: "Their sessions end. The last admin cannot be demoted (409).",
  tag: "Admin",
  responses: R.ok(z.object({ role: z.enum(["USER", "ADMIN"]) })),
  errors: [409],
  examples: { body: { role: ["USER", "ADMIN"] } },
});
