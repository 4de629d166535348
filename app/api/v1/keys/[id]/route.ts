// GET /api/v1/keys/:id – one of your keys, or of a team you belong to
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { accessKeyOrThrow } from "@/lib/keys/read/key-access";
import { toKeyView } from "@/lib/keys/read/key-view";
import * as declared from "./declaration";

export const GET = withApi(declared.GET, async ({ user, params }) =>
  json(toKeyView((await accessKeyOrThrow(user.id, params.id, "view")).row)),
);
