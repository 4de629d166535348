import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZKeysQuery } from "@/lib/keys/read/list-keys";
import { EXPIRY, LIST_QUERY } from "@/app/api/examples";
import { ZIssueKeyRequest } from "@/lib/keys/change/issue-key";

export const GET = declareRoute({
  access: "user",
  scope: "keys:read",
  query: ZKeysQuery,
  operationId: "listKeys",
  summary: "List your keys, or a team's",
  description: "`team`: a team you belong to (404 otherwise, like a team that does not exist).",
  tag: "Keys",
  responses: R.ok(R.ZKeyPage),
  errors: [404],
  examples: { query: LIST_QUERY },
});

export const POST = declareRoute({
  access: "user",
  scope: "keys:write",
  body: ZIssueKeyRequest,
  operationId: "issueKey",
  summary: "Issue a key",
  description:
    "The plaintext is in this answer once; only its hash is kept. `teamId`: the key belongs to that team (you must be at least its MEMBER). `rateLimit`, `allowedIps` and `usageCap` set the key's limits (each optional).",
  tag: "Keys",
  responses: { 201: { description: "Issued", schema: R.ZIssuedKey } },
  errors: [403, 404],
  examples: {
    body: {
      name: ["fuzz key"],
      expiry: EXPIRY,
      scopes: [["read"], ["read", "write"]],
      rateLimit: [{ limit: 100, window: "minute" }, null, { limit: 0, window: "week" }],
      allowedIps: [["203.0.113.0/24", "2001:db8::/32"], [], ["10.0.0.0/33"]],
      usageCap: [1000, null, 0],
    },
  },
});
