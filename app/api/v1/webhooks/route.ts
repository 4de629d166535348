// GET /api/v1/webhooks?scope=personal|team|global[&teamId=] – your, your team's (its owners and admins) or global (site admins) endpoints;
// POST /api/v1/webhooks – add one (the signing secret is in the answer, once)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { actingTeam } from "@/lib/tokens/authenticate-token";
import { createWebhook, listWebhooks } from "@/lib/webhooks/endpoints";
import * as declared from "./declaration";

// A team's API token means its team where a person would mean themselves.
const forTeamToken = <T extends { scope?: string; teamId?: string }>(input: T, team: string | undefined): T =>
  team && (input.scope ?? "personal") === "personal" && !input.teamId
    ? { ...input, scope: "team", teamId: team }
    : input;

export const GET = withApi(declared.GET, async ({ user, token, query }) =>
  json({ items: await listWebhooks(user, forTeamToken(query, actingTeam(token))) }),
);

export const POST = withApi(declared.POST, async ({ user, token, body, actor }) =>
  json(
    await createWebhook({ ...user, maker: token?.issuedById ?? user.id }, forTeamToken(body, actingTeam(token)), actor),
    { status: 201 },
  ),
);
