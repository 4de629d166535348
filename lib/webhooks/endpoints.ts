import "server-only";
import { z } from "zod";
import { zId, zText } from "@/lib/api/text";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { prisma, type Prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { forbidden, KeywardError, notFound } from "@/lib/errors";
import { EVENT_TYPES } from "@/lib/events/event-types";
import { endpointCreatorEntitledSql } from "@/lib/events/event-sql";
import { requireTeam, teamRoleOf } from "@/lib/teams/membership";
import { teamCan } from "@/lib/teams/roles";
import { newWebhookSecret, sealSecret } from "./secrets";
import { BlockedTargetError, checkTarget, REFUSED_TARGET } from "./target-guard";
import { log } from "@/lib/log/logger";

/** Endpoints one owner (or the site, for global ones) may have. */
export const MAX_ENDPOINTS = 20;
/** After a roll, deliveries carry a signature with the old secret too, for this long. */
export const SECRET_OVERLAP_MS = 24 * 3_600_000;

const ZUrl = zText()
  .trim()
  .max(2000)
  .pipe(z.url({ protocol: /^https?$/, message: "An http(s) URL" }))
  // zod runs every check even after one failed: this one must not throw on what z.url refused.
  .refine(
    (u) => URL.canParse(u) && !new URL(u).username && !new URL(u).password,
    "No user name or password in the URL",
  );
const ZEventTypes = z.array(z.enum(EVENT_TYPES)).min(1, "Choose at least one event").max(EVENT_TYPES.length);

export const WEBHOOK_SCOPES = ["personal", "team", "global"] as const;
export type WebhookScope = (typeof WEBHOOK_SCOPES)[number];

/** team: a team's keys' events (its owners and admins), with teamId; global: every key's (site admins). */
const ZScope = {
  scope: z.enum(WEBHOOK_SCOPES).default("personal"),
  teamId: zId.optional(),
};
const teamIdGoesWithTeamScope = (r: { scope: WebhookScope; teamId?: string }) =>
  (r.scope === "team") === (r.teamId !== undefined);
const TEAM_ID_RULE = { message: "teamId is needed with scope team, and only then.", path: ["teamId"] };

export const ZCreateWebhookRequest = z
  .strictObject({
    url: ZUrl,
    description: zText().trim().max(200).optional(),
    eventTypes: ZEventTypes,
    ...ZScope,
  })
  .refine(teamIdGoesWithTeamScope, TEAM_ID_RULE);
export type TCreateWebhookRequest = z.input<typeof ZCreateWebhookRequest>;

export const ZUpdateWebhookRequest = z.strictObject({
  url: ZUrl.optional(),
  description: zText().trim().max(200).nullable().optional(),
  eventTypes: ZEventTypes.optional(),
  enabled: z.boolean().optional(),
});
export type TUpdateWebhookRequest = z.infer<typeof ZUpdateWebhookRequest>;

export const ZListWebhooksQuery = z.strictObject(ZScope).refine(teamIdGoesWithTeamScope, TEAM_ID_RULE);
export type WebhookOwner = { scope: "personal" | "global" } | { scope: "team"; teamId: string };

export interface WebhookEndpointView {
  id: string;
  scope: WebhookScope;
  teamId: string | null;
  url: string;
  description: string | null;
  eventTypes: string[];
  enabled: boolean;
  disabledAt: string | null;
  disabledReason: string | null;
  failingSince: string | null;
  createdAt: string;
  lastDelivery: { status: string; at: string; responseStatus: number | null } | null;
}

/** Who may see and change an endpoint: its owner, or (global ones) a site admin. */
export interface Caller {
  id: string;
  role: "USER" | "ADMIN";
  /** A team's service account (its API token, lib/tokens): it has no endpoints of its own. */
  kind?: "PERSON" | "BOT";
  /**
   * Whose right a new endpoint lives by (lib/rights): the caller, or, for a team's API token, the
   * admin who made that token (the token's service account would outlive them).
   */
  maker?: string;
}

const VIEW_SELECT = {
  id: true,
  userId: true,
  teamId: true,
  url: true,
  description: true,
  eventTypes: true,
  enabled: true,
  disabledAt: true,
  disabledReason: true,
  failingSince: true,
  createdAt: true,
  deliveries: {
    orderBy: { createdAt: "desc" },
    take: 1,
    select: { status: true, createdAt: true, lastAttemptAt: true, responseStatus: true },
  },
} satisfies Prisma.WebhookEndpointSelect;

type Row = Prisma.WebhookEndpointGetPayload<{ select: typeof VIEW_SELECT }>;

function toView(row: Row): WebhookEndpointView {
  const last = row.deliveries[0];
  return {
    id: row.id,
    scope: row.teamId ? "team" : row.userId ? "personal" : "global",
    teamId: row.teamId,
    url: row.url,
    description: row.description,
    eventTypes: row.eventTypes,
    enabled: row.enabled,
    disabledAt: row.disabledAt?.toISOString() ?? null,
    disabledReason: row.disabledReason,
    failingSince: row.failingSince?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    lastDelivery: last
      ? {
          status: last.status,
          at: (last.lastAttemptAt ?? last.createdAt).toISOString(),
          responseStatus: last.responseStatus,
        }
      : null,
  };
}

async function scopeWhere(caller: Caller, owner: WebhookOwner): Promise<Prisma.WebhookEndpointWhereInput> {
  switch (owner.scope) {
    case "global":
      if (caller.role !== "ADMIN") throw forbidden("Only site admins manage global webhooks.");
      return { userId: null, teamId: null };
    case "team":
      await requireTeam(caller.id, owner.teamId, "manage-webhooks");
      return { teamId: owner.teamId };
    case "personal":
      return { userId: caller.id };
  }
}

const ownerOf = (input: { scope: WebhookScope; teamId?: string }): WebhookOwner =>
  input.scope === "team" ? { scope: "team", teamId: input.teamId! } : { scope: input.scope };

/**
 * The endpoint, if the caller may manage it: their own, their team's (owners and admins), or a
 * global one (site admins). Otherwise 404, exactly like a missing one.
 */
async function ownedRow(
  caller: Caller,
  id: string,
): Promise<{ id: string; userId: string | null; teamId: string | null; url: string }> {
  const row = await prisma.webhookEndpoint.findUnique({
    where: { id },
    select: { id: true, userId: true, teamId: true, url: true },
  });
  if (!row) throw notFound("No such webhook endpoint.");
  const allowed = row.teamId
    ? teamCan(await teamRoleOf(caller.id, row.teamId), "manage-webhooks")
    : row.userId === null
      ? caller.role === "ADMIN"
      : row.userId === caller.id;
  if (!allowed) throw notFound("No such webhook endpoint.");
  return row;
}

async function creatorEntitled(id: string): Promise<boolean> {
  const [row] = await prisma.$queryRaw<
    { entitled: boolean }[]
  >`SELECT ${endpointCreatorEntitledSql} AS entitled FROM "WebhookEndpoint" w WHERE w.id = ${id}`;
  return row?.entitled ?? false;
}

/** One answer whether the name resolves to a private address or not at all (see REFUSED_TARGET). */
async function checkUrl(url: string): Promise<void> {
  try {
    await checkTarget(new URL(url), env.WEBHOOK_ALLOW_PRIVATE);
  } catch (error) {
    const detail =
      error instanceof BlockedTargetError
        ? error.detail
        : `cannot resolve ${new URL(url).hostname} (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
    log.warn({ detail }, "webhook URL refused");
    throw new KeywardError("UNPROCESSABLE", REFUSED_TARGET, [{ path: "url", message: REFUSED_TARGET }]);
  }
}

export async function listWebhooks(
  caller: Caller,
  request: z.input<typeof ZListWebhooksQuery>,
): Promise<WebhookEndpointView[]> {
  const rows = await prisma.webhookEndpoint.findMany({
    where: await scopeWhere(caller, ownerOf(ZListWebhooksQuery.parse(request))),
    orderBy: { createdAt: "asc" },
    select: VIEW_SELECT,
  });
  return rows.map(toView);
}

export async function getWebhook(caller: Caller, id: string): Promise<WebhookEndpointView> {
  await ownedRow(caller, id);
  return toView(await prisma.webhookEndpoint.findUniqueOrThrow({ where: { id }, select: VIEW_SELECT }));
}

/** A new endpoint; its signing secret is in the answer, this once. */
export async function createWebhook(
  caller: Caller,
  request: TCreateWebhookRequest,
  actor: Actor,
): Promise<{ endpoint: WebhookEndpointView; secret: string }> {
  const input = ZCreateWebhookRequest.parse(request);
  if (caller.kind === "BOT" && input.scope !== "team")
    throw forbidden("A team's API token manages its team's webhook endpoints only (scope team).");
  const where = await scopeWhere(caller, ownerOf(input));
  await checkUrl(input.url);
  const secret = newWebhookSecret();
  const row = await prisma.$transaction(async (tx) => {
    if ((await tx.webhookEndpoint.count({ where })) >= MAX_ENDPOINTS) {
      throw new KeywardError("CONFLICT", `At most ${MAX_ENDPOINTS} webhook endpoints. Delete one first.`);
    }
    const created = await tx.webhookEndpoint.create({
      data: {
        userId: input.scope === "personal" ? caller.id : null,
        teamId: input.scope === "team" ? input.teamId! : null,
        createdById: caller.maker ?? caller.id,
        url: input.url,
        description: input.description ?? null,
        eventTypes: [...new Set(input.eventTypes)],
        secretBox: sealSecret(secret),
      },
      select: VIEW_SELECT,
    });
    await recordAudit(
      tx,
      actor,
      "webhook.created",
      null,
      { endpointId: created.id, url: created.url, scope: input.scope },
      created.teamId,
    );
    return created;
  });
  return { endpoint: toView(row), secret };
}

/** Edit; enabling a disabled endpoint starts its failure count afresh. */
export async function updateWebhook(
  caller: Caller,
  id: string,
  input: TUpdateWebhookRequest,
  actor: Actor,
): Promise<WebhookEndpointView> {
  await ownedRow(caller, id);
  if (input.enabled === true && !(await creatorEntitled(id))) {
    // Its secret is in the hands of someone who no longer has the right to it.
    throw new KeywardError(
      "CONFLICT",
      "This endpoint's creator no longer has the right to it, and they know its secret: add a new endpoint instead.",
    );
  }
  if (input.url) await checkUrl(input.url);
  const row = await prisma.$transaction(async (tx) => {
    const updated = await tx.webhookEndpoint.update({
      where: { id },
      data: {
        ...(input.url ? { url: input.url } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.eventTypes ? { eventTypes: [...new Set(input.eventTypes)] } : {}),
        ...(input.enabled === true
          ? { enabled: true, disabledAt: null, disabledReason: null, failingSince: null }
          : {}),
        ...(input.enabled === false
          ? { enabled: false, disabledAt: new Date(), disabledReason: "Disabled by its owner" }
          : {}),
      },
      select: VIEW_SELECT,
    });
    await recordAudit(tx, actor, "webhook.updated", null, { endpointId: id, ...input });
    return updated;
  });
  return toView(row);
}

export async function deleteWebhook(caller: Caller, id: string, actor: Actor): Promise<void> {
  const row = await ownedRow(caller, id);
  await prisma.$transaction(async (tx) => {
    await tx.webhookEndpoint.delete({ where: { id } });
    await recordAudit(tx, actor, "webhook.deleted", null, { endpointId: id, url: row.url });
  });
}

/** A new secret, in the answer this once; the old one still signs for SECRET_OVERLAP_MS. */
export async function rollWebhookSecret(
  caller: Caller,
  id: string,
  actor: Actor,
): Promise<{ secret: string; previousValidUntil: string }> {
  await ownedRow(caller, id);
  const secret = newWebhookSecret();
  const until = new Date(Date.now() + SECRET_OVERLAP_MS);
  await prisma.$transaction(async (tx) => {
    const current = await tx.webhookEndpoint.findUniqueOrThrow({ where: { id }, select: { secretBox: true } });
    await tx.webhookEndpoint.update({
      where: { id },
      data: { secretBox: sealSecret(secret), previousSecretBox: current.secretBox, previousSecretUntil: until },
    });
    await recordAudit(tx, actor, "webhook.secret_rolled", null, { endpointId: id });
  });
  return { secret, previousValidUntil: until.toISOString() };
}

export { ownedRow as webhookOwnedBy };
