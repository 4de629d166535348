// GET /api/v1/me/passkeys – your passkeys; POST – add one ({response, name}: the browser's answer to the options)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { listPasskeys, registerPasskey } from "@/lib/passkeys";
import * as declared from "./declaration";

export const GET = withApi(declared.GET, async ({ user }) => json({ items: await listPasskeys(user.id) }));

export const POST = withApi(declared.POST, async ({ user, body, actor }) =>
  json(await registerPasskey(user, body, actor), { status: 201 }),
);
