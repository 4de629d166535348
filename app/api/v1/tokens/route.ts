// GET /api/v1/tokens – your API tokens, or a team's (?team=<id>, its owners and admins); POST – make one (the plaintext is in the answer, once)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { createToken, listTokens } from "@/lib/tokens/manage-tokens";
import * as declared from "./declaration";

export const GET = withApi(declared.GET, async ({ user, token, query }) =>
  json({ items: await listTokens({ user, token }, query) }),
);

export const POST = withApi(declared.POST, async ({ user, token, body, actor }) =>
  json(await createToken({ user, token }, body, actor), { status: 201 }),
);
