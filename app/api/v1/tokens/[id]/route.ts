// GET /api/v1/tokens/:id – one API token (yours, or your team's for its owners and admins)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { getToken } from "@/lib/tokens/manage-tokens";
import * as declared from "./declaration";

export const GET = withApi(declared.GET, async ({ user, token, params }) =>
  json(await getToken({ user, token }, params.id)),
);
