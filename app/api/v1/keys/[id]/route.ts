// GET /api/v1/keys/:id – one of your keys, or of a team you belong to
import { json } from "@/lib/api/respond";
import { ZIdParams } from "@/lib/api/text";
import { withApi } from "@/lib/api/with-api";
import { accessKeyOrThrow } from "@/lib/keys/key-access";
import { toKeyView } from "@/lib/keys/key-view";

export const GET = withApi({ access: "user", params: ZIdParams }, async ({ user, params }) =>
  json(toKeyView((await accessKeyOrThrow(user.id, params.id!, "view")).row)),
);
