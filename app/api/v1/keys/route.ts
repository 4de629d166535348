// GET /api/v1/keys – list the signed-in user's keys; POST /api/v1/keys – issue a key
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/api/with-api";
import { issueKey, ZIssueKeyRequest } from "@/lib/keys/issue-key";
import { listKeys, ZListKeysQuery } from "@/lib/keys/list-keys";

export const GET = withApi({ access: "user", query: ZListKeysQuery }, async ({ user, query }) =>
  json(await listKeys({ ownerId: user.id }, query)),
);

export const POST = withApi({ access: "user", body: ZIssueKeyRequest }, async ({ user, body, actor }) =>
  json(await issueKey(user, body, actor), { status: 201 }),
);
