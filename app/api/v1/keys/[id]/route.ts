// GET /api/v1/keys/:id – one of the signed-in user's keys
import { json } from "@/lib/api/respond";
import { ZIdParams } from "@/lib/api/text";
import { withApi } from "@/lib/api/with-api";
import { getOwnKeyOrThrow } from "@/lib/keys/get-key-or-throw";
import { toKeyView } from "@/lib/keys/key-view";

export const GET = withApi({ access: "user", params: ZIdParams }, async ({ user, params }) =>
  json(toKeyView(await getOwnKeyOrThrow(user.id, params.id!))),
);
