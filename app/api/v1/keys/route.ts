// GET /api/v1/keys – list your keys, or a team's (?team=<id>); POST /api/v1/keys – issue a key (teamId: a team's)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/api/with-api";
import { issueKey, ZIssueKeyRequest } from "@/lib/keys/issue-key";
import { viewableOwner } from "@/lib/keys/key-access";
import { listKeys, ZKeysQuery } from "@/lib/keys/list-keys";

export const GET = withApi({ access: "user", query: ZKeysQuery }, async ({ user, query: { team, ...query } }) =>
  json(await listKeys({ owner: await viewableOwner(user.id, team) }, query)),
);

export const POST = withApi({ access: "user", body: ZIssueKeyRequest }, async ({ user, body, actor }) =>
  json(await issueKey(user, body, actor), { status: 201 }),
);
