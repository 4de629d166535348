import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZCreateTokenRequest, ZListTokensQuery } from "@/lib/tokens/manage-tokens";
import { z } from "zod";
import { EXPIRY } from "@/app/api/examples";

export const GET = declareRoute({
  access: "user",
  scope: "tokens:read",
  query: ZListTokensQuery,
  operationId: "listTokens",
  summary: "Your API tokens, or a team's",
  description:
    "`team`: a team whose owner or admin you are (404 otherwise). A team's token without `team` lists its own team's.",
  tag: "API tokens",
  responses: R.ok(z.object({ items: z.array(R.ZTokenView) })),
  errors: [404],
  examples: { query: { team: ["x"] } },
});

export const POST = declareRoute({
  access: "user",
  scope: "tokens:write",
  body: ZCreateTokenRequest,
  recentAuth: true,
  operationId: "createToken",
  summary: "Make an API token",
  description:
    "The plaintext (`kwt_…`) is in this answer once; only its hash is kept. `teamId`: a team token (its owners and admins), acting through the team's service account while you administer the team. `expiry` as for keys, within API_TOKEN_MAX_DAYS. A token making a token hands on only its own scopes and lifetime; admin scopes only on a site admin's own token.",
  tag: "API tokens",
  responses: { 201: { description: "Made", schema: R.ZIssuedToken } },
  errors: [403, 404],
  examples: {
    body: { name: ["fuzz token"], scopes: [["keys:read"], ["keys:read", "verify"], ["nope"]], expiry: EXPIRY },
  },
});
