// GET /api/v1/keys – list your keys, a team's (?team=<id>), or all you are responsible for (?view=responsible); POST /api/v1/keys – issue a key (teamId: a team's)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { issueKey } from "@/lib/keys/change/issue-key";
import { viewableOwner } from "@/lib/keys/read/key-access";
import { listKeys } from "@/lib/keys/read/list-keys";
import { actingTeam } from "@/lib/tokens/authenticate-token";
import * as declared from "./declaration";

export const GET = withApi(declared.GET, async ({ user, token, query: { team, view, ...query } }) =>
  json(
    await listKeys(
      view === "responsible" && !actingTeam(token)
        ? { responsible: user.id }
        : { owner: await viewableOwner(user.id, team ?? actingTeam(token)) },
      query,
    ),
  ),
);

export const POST = withApi(declared.POST, async ({ user, token, body, actor }) =>
  json(await issueKey(user, { ...body, teamId: body.teamId ?? actingTeam(token) }, actor), { status: 201 }),
);
