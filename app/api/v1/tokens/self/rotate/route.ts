// POST /api/v1/tokens/self/rotate – the calling API token rotates itself (any scope; GitLab's self-rotation)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { rotateToken } from "@/lib/tokens/manage-tokens";
import * as declared from "./declaration";

export const POST = withApi(declared.POST, async ({ user, token, body, actor }) =>
  json(await rotateToken({ user, token }, token!.id, body, actor), { status: 201 }),
);
