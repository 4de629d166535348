// What the routes answer, as zod schemas: the OpenAPI document's response bodies. Each one is
// checked against the TypeScript type the code returns (`satisfies`, at compile time), and the
// recorded answers of the real routes are validated against the document (the integration test
// beside this file), so neither side can drift unnoticed.
import { z } from "zod";
import type { ResponseSpec } from "@/lib/routes/declaration";
import type { AuditPage } from "@/lib/audit/list-audit";
import { ZKeyEventPayload } from "@/lib/events/event-types";
import { ERROR_STATUS } from "@/lib/errors";
import type { Problem } from "@/lib/api/problem";
import { API_SCOPES } from "@/lib/api/scopes";
import type { IssuedKey } from "@/lib/keys/change/issue-key";
import type { gatedCaller } from "@/lib/keys/check/gated-caller";
import type { KeyView } from "@/lib/keys/read/key-view";
import type { KeyPage } from "@/lib/keys/read/list-keys";
import { RATE_WINDOWS, type KeyLimitsView, type RateWindow } from "@/lib/limits/key-limits";
import type { RotatedKey } from "@/lib/keys/change/rotate-key";
import type { VerifyResult } from "@/lib/keys/check/evaluate-key";
import type { GitHubFeedback } from "@/lib/leaks/github-scanning";
import type { SessionView } from "@/lib/sessions/manage-sessions";
import type { NotificationView } from "@/lib/notify/notifications";
import type { OutboxRow } from "@/lib/notify/list-outbox";
import type { TPreferences } from "@/lib/notify/preferences";
import { COUNTER_NAMES, SWEEP_COUNTERS, SWEEP_STEPS, type SweepCounter, type SweepStep } from "@/lib/sweep/counters";
import type { SweepHealth } from "@/lib/sweep/sweep-health";
import type { SweepBacklogView, SweepRunView } from "@/lib/sweep/list-sweeps";
import type { SweepSummary } from "@/lib/sweep/run-sweep";
import type { UserView } from "@/lib/users/admin-users";
import type { PasskeyView } from "@/lib/passkeys/manage-passkeys";
import type { WebhookDeliveryView } from "@/lib/webhooks/deliveries";
import type { WebhookEndpointView } from "@/lib/webhooks/endpoints";
import { ZAuditEventView } from "@/lib/audit/audit-view";
import type { AcceptResult, InvitationView } from "@/lib/teams/invitations";
import type { MemberView } from "@/lib/teams/members";
import type { IssuedToken, RotatedToken } from "@/lib/tokens/manage-tokens";
import type { TokenView } from "@/lib/tokens/token-view";
import type { TeamView } from "@/lib/teams/teams";
import type { SecondFactorStatus } from "@/lib/second-factor/enrolment";
import type { ReauthOptions } from "@/lib/auth/recent-auth";
import type { AdminUsage } from "@/lib/usage/admin-usage";
import type { KeyUsage } from "@/lib/usage/key-usage";
import type { UsageSeries } from "@/lib/usage/usage-buckets";
import { USAGE_OUTCOMES, type UsageOutcome } from "@/lib/usage/usage-outcomes";

/** Named schemas: each becomes a component of the document, referenced where it is used. */
export const components = z.registry<{ id: string; description?: string }>();

const instant = () => z.iso.datetime();
const page = <T extends z.ZodType, N extends z.ZodType = z.ZodNull>(item: T, total?: N) =>
  z.object({
    items: z.array(item),
    page: z.number().int(),
    pageSize: z.number().int(),
    total: (total ?? z.null()) as N,
    hasNext: z.boolean(),
  });

export const ZProblem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.enum(Object.keys(ERROR_STATUS) as [keyof typeof ERROR_STATUS, ...(keyof typeof ERROR_STATUS)[]]),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    requiredScope: z.string().optional().describe("INSUFFICIENT_SCOPE: the scope the route needs"),
    expiredAt: z.iso.datetime().optional().describe("EXPIRED: when the API token expired"),
    renewUrl: z.string().optional().describe("EXPIRED: where to issue its replacement"),
    enrolUrl: z
      .string()
      .optional()
      .describe("SECOND_FACTOR_REQUIRED: the page where the account sets up a second factor"),
    reauthUrl: z.string().optional().describe("REAUTH_REQUIRED: where to POST the password or a code (then retry)"),
  })
  .register(components, {
    id: "Problem",
    description: "RFC 9457 problem details: every error, from every route",
  }) satisfies z.ZodType<Problem>;

export const ZKeyOwner = z
  .object({
    type: z.enum(["user", "team"]),
    id: z.string(),
    name: z.string().describe("A person's name (else address), or the team's name"),
    slug: z.string().optional().describe("The team's URL slug (teams only)"),
    email: z.string().optional().describe("The person's address (people only)"),
  })
  .register(components, { id: "KeyOwner", description: "Who owns a key: a person or a team" });

export const ZKeyLimitsView = z
  .object({
    rateLimit: z
      .object({
        limit: z.number().int().describe("Verifications allowed per window"),
        window: z
          .enum(Object.keys(RATE_WINDOWS) as [RateWindow, ...RateWindow[]])
          .describe("Windows are aligned to the clock (a minute runs from :00 to :00)"),
      })
      .nullable()
      .describe("null: no rate limit"),
    allowedIps: z.array(z.string()).describe("CIDRs (IPv4 and IPv6) the key may be used from; empty: any address"),
    usageCap: z
      .number()
      .int()
      .nullable()
      .describe("Successful verifications after which the key answers USAGE_EXCEEDED; null: no cap"),
  })
  .register(components, {
    id: "KeyLimits",
    description: "What the owner bounded about a key",
  }) satisfies z.ZodType<KeyLimitsView>;

export const ZKeyView = z
  .object({
    id: z.string(),
    ownerId: z.string().describe("The owning user's or team's id (see owner)"),
    owner: ZKeyOwner,
    issuedBy: z
      .object({ id: z.string(), label: z.string() })
      .nullable()
      .describe('Who issued it ("a deleted account" once they are gone)'),
    name: z.string(),
    masked: z.string().describe('Display form, e.g. "kw_Ab3x…wxyz"'),
    prefix: z.string(),
    last4: z.string(),
    scopes: z.array(z.string()),
    createdAt: instant(),
    expiresAt: instant().nullable(),
    graceEndsAt: instant().nullable(),
    worksUntil: instant()
      .nullable()
      .describe("When the key stops working unless renewed: the earlier of expiresAt and graceEndsAt; null: never"),
    expiringSoon: z
      .boolean()
      .describe(
        "Working, and worksUntil within the first reminder window (EXPIRY_REMINDER_DAYS): what tab=expiring lists and the renewal banner counts",
      ),
    replacedById: z.string().nullable(),
    lastUsedAt: instant().nullable(),
    usageCount: z.number().int(),
    lastClientIp: z.string().nullable().describe("The client address the gate last saw a successful call from"),
    lastVerifierId: z
      .string()
      .nullable()
      .describe(
        "The verifier token (an API token with the verify scope) behind the last successful verification; null: an anonymous caller or the gate",
      ),
    limits: ZKeyLimitsView,
    status: z.enum(["ACTIVE", "EXPIRING", "GRACE", "EXPIRED", "BLACKLISTED"]),
    blacklist: z.object({ reason: z.string(), at: instant(), by: z.string(), note: z.string().nullable() }).nullable(),
  })
  .register(components, { id: "Key" }) satisfies z.ZodType<KeyView>;

export const ZKeyPage = page(ZKeyView, z.number().int().nullable()).register(components, {
  id: "KeyPage",
}) satisfies z.ZodType<KeyPage>;

export const ZIssuedKey = z
  .object({ key: ZKeyView, plaintext: z.string().describe("The key itself: shown this once, never stored") })
  .register(components, { id: "IssuedKey" }) satisfies z.ZodType<IssuedKey>;

export const ZRotatedKey = ZIssuedKey.extend({ previous: ZKeyView }).register(components, {
  id: "RotatedKey",
}) satisfies z.ZodType<RotatedKey>;

export const ZBlacklistedKey = ZKeyView;

export const ZTokenView = z
  .object({
    id: z.string(),
    name: z.string(),
    masked: z.string().describe('Display form, e.g. "kwt_Ab3x…wxyz"'),
    prefix: z.string(),
    last4: z.string(),
    scopes: z.array(z.enum(API_SCOPES)),
    owner: z
      .object({ type: z.enum(["user", "team"]), id: z.string(), name: z.string(), slug: z.string().optional() })
      .describe("A person's token, or a team's (it acts through the team's service account)"),
    issuedBy: z
      .object({ id: z.string(), label: z.string() })
      .nullable()
      .describe("Who made it (a team token lives while its maker is an owner or admin of the team)"),
    createdAt: instant(),
    expiresAt: instant().nullable(),
    graceEndsAt: instant().nullable(),
    replacedById: z.string().nullable(),
    lastUsedAt: instant().nullable().describe("Within a minute"),
    status: z.enum(["ACTIVE", "EXPIRING", "GRACE", "EXPIRED", "BLACKLISTED"]),
    blacklist: z.object({ reason: z.string(), at: instant(), by: z.string(), note: z.string().nullable() }).nullable(),
  })
  .register(components, { id: "ApiToken" }) satisfies z.ZodType<TokenView>;

export const ZIssuedToken = z
  .object({
    token: ZTokenView,
    plaintext: z.string().describe("The token itself (kwt_…): shown this once, never stored"),
  })
  .register(components, { id: "IssuedApiToken" }) satisfies z.ZodType<IssuedToken>;

export const ZRotatedToken = ZIssuedToken.extend({ previous: ZTokenView }).register(components, {
  id: "RotatedApiToken",
}) satisfies z.ZodType<RotatedToken>;

const refusal = { valid: z.literal(false), message: z.string() };
export const ZVerifyResult = z
  .discriminatedUnion("code", [
    z.object({
      valid: z.literal(true),
      code: z.literal("VALID"),
      keyId: z.string(),
      name: z.string(),
      ownerId: z.string().describe("The owning user's or team's id (see owner)"),
      owner: z.object({ type: z.enum(["user", "team"]), id: z.string(), name: z.string() }),
      scopes: z.array(z.string()),
      expiresAt: instant().nullable(),
      expiresInSeconds: z.number().int().nullable(),
      graceEndsAt: instant().optional().describe("Set while a rotated key is in its grace period"),
      ratelimit: z
        .object({ limit: z.number().int(), remaining: z.number().int(), resetAt: instant() })
        .optional()
        .describe("Set when the key has a rate limit: this verification is already counted in `remaining`"),
    }),
    z.object({ ...refusal, code: z.literal("EXPIRED"), keyId: z.string(), expiredAt: instant(), renewUrl: z.string() }),
    z.object({
      ...refusal,
      code: z.literal("REVOKED"),
      keyId: z.string(),
      reason: z.enum(["REVOKED", "LEAKED", "ROTATED", "IDLE"]),
      revokedAt: instant(),
      renewUrl: z.string(),
    }),
    z.object({
      ...refusal,
      code: z.literal("INSUFFICIENT_SCOPE"),
      keyId: z.string(),
      requiredScope: z.string(),
      scopes: z.array(z.string()),
    }),
    z
      .object({ ...refusal, code: z.literal("IP_REQUIRED"), keyId: z.string() })
      .describe("The key has an allowlist and the request named no `ip`"),
    z
      .object({ ...refusal, code: z.literal("IP_NOT_ALLOWED"), keyId: z.string(), ip: z.string() })
      .describe("`ip` is outside the key's allowlist"),
    z
      .object({ ...refusal, code: z.literal("USAGE_EXCEEDED"), keyId: z.string(), usageCap: z.number().int() })
      .describe("The key's usage cap is reached; raising it revives the key"),
    z
      .object({
        ...refusal,
        code: z.literal("RATE_LIMITED"),
        keyId: z.string(),
        retryAfterSeconds: z.number().int(),
        limit: z.number().int(),
        remaining: z.literal(0),
        resetAt: instant(),
      })
      .describe("The key's rate limit is used up until resetAt"),
    z.object({ ...refusal, code: z.literal("NOT_FOUND") }),
    z.object({ ...refusal, code: z.literal("MALFORMED") }),
  ])
  .register(components, { id: "VerifyResult" }) satisfies z.ZodType<VerifyResult>;

export const ZWhoAmI = z
  .object({
    key: z.object({
      id: z.string(),
      name: z.string(),
      scopes: z.array(z.string()),
      expiresAt: instant().nullable(),
      expiresInSeconds: z.number().int().nullable(),
    }),
    owner: z.discriminatedUnion("type", [
      z.object({ type: z.literal("user"), id: z.string(), email: z.string(), name: z.string().nullable() }),
      z.object({ type: z.literal("team"), id: z.string(), name: z.string(), slug: z.string() }),
    ]),
  })
  .register(components, { id: "WhoAmI" }) satisfies z.ZodType<Awaited<ReturnType<typeof gatedCaller>>>;

export const ZNotificationPage = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        kind: z.string(),
        title: z.string(),
        body: z.string(),
        keyId: z.string().nullable(),
        link: z.string().nullable().describe("Where the notice leads in the portal (a path)"),
        createdAt: instant(),
        read: z.boolean(),
        email: z.string().describe('"pending", "queued" (in an email) or "skipped" (preferences)'),
      }) satisfies z.ZodType<NotificationView>,
    ),
    page: z.number().int(),
    pageSize: z.number().int(),
    hasNext: z.boolean(),
  })
  .register(components, { id: "NotificationPage" });

export const ZPreferencesView = z
  .object({
    emailReminders: z.boolean(),
    emailExpired: z.boolean(),
    emailBlacklisted: z.boolean(),
    timeZone: z.string(),
  })
  .register(components, { id: "Preferences" }) satisfies z.ZodType<TPreferences>;

export const ZWebhookEndpoint = z
  .object({
    id: z.string(),
    scope: z.enum(["personal", "team", "global"]),
    teamId: z.string().nullable(),
    url: z.string(),
    description: z.string().nullable(),
    eventTypes: z.array(z.string()),
    enabled: z.boolean(),
    disabledAt: instant().nullable(),
    disabledReason: z.string().nullable(),
    failingSince: instant().nullable(),
    createdAt: instant(),
    lastDelivery: z
      .object({ status: z.string(), at: instant(), responseStatus: z.number().int().nullable() })
      .nullable(),
  })
  .register(components, { id: "WebhookEndpoint" }) satisfies z.ZodType<WebhookEndpointView>;

export const ZWebhookDelivery = z
  .object({
    id: z.string(),
    eventId: z.string().nullable(),
    eventType: z.string(),
    keyId: z.string().nullable(),
    status: z.string(),
    attempts: z.number().int(),
    responseStatus: z.number().int().nullable(),
    lastError: z.string().nullable(),
    durationMs: z.number().int().nullable(),
    createdAt: instant(),
    lastAttemptAt: instant().nullable(),
    nextAttemptAt: instant().nullable(),
  })
  .register(components, { id: "WebhookDelivery" }) satisfies z.ZodType<WebhookDeliveryView>;

export const ZUserView = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string().nullable(),
    role: z.enum(["USER", "ADMIN"]),
    createdAt: instant(),
    emailVerified: z.boolean(),
    github: z.boolean(),
    twoFactor: z.boolean().describe("Whether the account has a second factor"),
    keys: z.number().int(),
  })
  .register(components, { id: "User" }) satisfies z.ZodType<UserView>;

export const ZUserPage = page(ZUserView).register(components, { id: "UserPage" });

export const ZSession = z
  .object({
    id: z.string(),
    device: z.string().describe("The browser, from its User-Agent (e.g. Firefox 133 on Linux)"),
    userAgent: z.string().nullable(),
    ip: z.string().nullable().describe("The client's address when the session was last used"),
    method: z.string().describe("How it signed in: password, GitHub, the single sign-on provider's name, …"),
    createdAt: instant(),
    lastSeenAt: instant().describe("Updated at most once a minute"),
    current: z.boolean().describe("The session this request came with"),
  })
  .register(components, { id: "Session" }) satisfies z.ZodType<SessionView>;

// z.json() is recursive: named, its cycle is a plain component reference.
ZAuditEventView.shape.detail.unwrap().register(components, { id: "JsonValue", description: "Any JSON value" });
export const ZAuditEvent = ZAuditEventView.register(components, { id: "AuditEvent" });
export const ZAuditPage = page(ZAuditEvent).register(components, { id: "AuditPage" }) satisfies z.ZodType<
  Omit<AuditPage, "items">
>;

export const ZOutboxPage = page(
  z.object({
    id: z.string(),
    to: z.string(),
    kind: z.string(),
    subject: z.string().nullable(),
    text: z.string().nullable(),
    status: z.string(),
    transport: z.string().nullable(),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    createdAt: instant(),
    sentAt: instant().nullable(),
    nextAttemptAt: instant(),
    notices: z.number().int(),
  }) satisfies z.ZodType<OutboxRow>,
).register(components, { id: "OutboxPage" });

const ZSweepHealth = z.object({
  lastSuccessAt: instant().nullable(),
  stale: z.boolean(),
  warnAfterHours: z.number(),
}) satisfies z.ZodType<SweepHealth>;

/** The sweep's counters and step timings, declared once in lib/sweep/counters.ts. */
const sweepCounts = Object.fromEntries(
  COUNTER_NAMES.map((name) => [name, z.number().int().describe(SWEEP_COUNTERS[name].about)]),
) as Record<SweepCounter, z.ZodNumber>;
const stepTimes = Object.fromEntries(SWEEP_STEPS.map((step) => [step, z.number()])) as Record<SweepStep, z.ZodNumber>;

// A run view spreads the database row into itself: fields the table gains show up here too.
const ZSweepRun = z.looseObject({
  id: z.string(),
  startedAt: instant(),
  finishedAt: instant().nullable(),
  durationMs: z.number().int().nullable(),
  status: z.enum(["RUNNING", "SUCCEEDED", "FAILED", "INTERRUPTED"]),
  heartbeatAt: instant(),
  trigger: z.string(),
  ...sweepCounts,
  error: z.string().nullable(),
  done: z.boolean().describe("False when the run stopped at its time budget with work left"),
  keysLeft: z.number().int().nullable(),
}) satisfies z.ZodType<SweepRunView>;

const ZSweepBacklog = ZSweepRun.extend({
  runs: z.array(ZSweepRun).describe("The backlog's runs, oldest first"),
}) satisfies z.ZodType<SweepBacklogView>;

export const ZSweepPage = page(ZSweepBacklog)
  .extend({ health: ZSweepHealth })
  .register(components, { id: "SweepPage" });

export const ZSweepSummary = z
  .object({
    runId: z.string(),
    startedAt: instant(),
    finishedAt: instant(),
    durationMs: z.number(),
    ...sweepCounts,
    longestBatchMs: z.number(),
    waitMs: z.number().describe("Time spent waiting for another sweep to finish gathering notices into emails"),
    stepsMs: z.object(stepTimes).describe("Time spent per step, in ms"),
    queueDeferred: z.boolean(),
    interruptedRuns: z.number().int(),
    done: z.boolean().describe("False when the run stopped at its time budget: call again to continue"),
    left: z
      .object({
        steps: z.array(z.enum(SWEEP_STEPS)),
        keysLeft: z.number().int(),
        keysLeftCap: z.number().int(),
      })
      .nullable(),
    backlog: z
      .object({ id: z.string(), run: z.number().int() })
      .describe("The backlog this run belongs to: its first run's id, and this run's place in it"),
    maxSeconds: z.number().describe("The time budget this run had, in seconds (0: none)"),
  })
  .register(components, { id: "SweepSummary" }) satisfies z.ZodType<SweepSummary>;

export const ZGitHubFeedback = z
  .array(
    z.object({ token_raw: z.string(), token_type: z.string(), label: z.enum(["true_positive", "false_positive"]) }),
  )
  .register(components, { id: "GitHubFeedback" }) satisfies z.ZodType<GitHubFeedback[]>;

export const ZWebhookEvent = ZKeyEventPayload.register(components, {
  id: "KeyEvent",
  description: "A webhook's body (Standard Webhooks); its id is the webhook-id header, the same on every retry",
});

/** Small answers that carry a flag or two. */
export const ZOk = z.object({ ok: z.literal(true) });
export const ZPing = ZOk;

const ZPartCheck = z.object({ ok: z.boolean(), detail: z.string().optional() });
const ZReadinessPart = z.enum(["database", "migrations", "listen", "redis"]);
export const ZReadiness = z.object({
  ready: z.boolean(),
  failing: z.array(ZReadinessPart),
  checks: z.object({ database: ZPartCheck, migrations: ZPartCheck, listen: ZPartCheck, redis: ZPartCheck }),
});

// Teams
const ZTeamRole = z.enum(["OWNER", "ADMIN", "MEMBER"]);

export const ZTeam = z
  .object({
    id: z.string(),
    name: z.string(),
    slug: z.string(),
    createdAt: instant(),
    role: ZTeamRole.nullable().describe("The caller's role in the team"),
    members: z.number().int(),
    activeKeys: z.number().int().describe("Team keys that still work"),
  })
  .register(components, { id: "Team" }) satisfies z.ZodType<TeamView>;

export const ZAdminTeam = ZTeam.extend({ owners: z.array(z.string()).describe("The owners' addresses") });

export const ZTeamMember = z
  .object({ userId: z.string(), email: z.string(), name: z.string().nullable(), role: ZTeamRole, joinedAt: instant() })
  .register(components, { id: "TeamMember" }) satisfies z.ZodType<MemberView>;

export const ZTeamInvitation = z
  .object({
    id: z.string(),
    email: z.string(),
    role: ZTeamRole,
    createdAt: instant(),
    expiresAt: instant(),
    invitedBy: z.string(),
  })
  .register(components, { id: "TeamInvitation" }) satisfies z.ZodType<InvitationView>;

const ZTeamRef = z.object({ id: z.string(), name: z.string(), slug: z.string() });
export const ZAcceptResult = z
  .union([
    z.object({ status: z.enum(["joined", "already-member"]), team: ZTeamRef }),
    z.object({
      status: z.enum(["accepted", "revoked", "expired", "invalid", "wrong-address", "unverified"]),
      email: z.string().optional(),
    }),
  ])
  .register(components, {
    id: "InvitationAcceptResult",
    description: "What accepting did: joined, or why not (never an error)",
  }) satisfies z.ZodType<AcceptResult>;

// Usage (lib/usage)
const ZOutcomeCounts = z
  .object(Object.fromEntries(USAGE_OUTCOMES.map((o) => [o, z.number().int()])) as Record<UsageOutcome, z.ZodNumber>)
  .register(components, {
    id: "UsageOutcomeCounts",
    description: "Answers per outcome (every answer about a key that exists; MALFORMED and NOT_FOUND name none)",
  });

export const ZUsageSeries = z
  .object({
    granularity: z.enum(["hour", "day"]),
    from: instant().describe("The first bucket's start (inclusive)"),
    to: instant().describe("The last bucket's end (exclusive)"),
    buckets: z
      .array(z.object({ start: instant(), counts: ZOutcomeCounts, total: z.number().int() }))
      .describe("Every bucket in the range, oldest first; zero when unused"),
    totals: ZOutcomeCounts.extend({
      all: z.number().int(),
      refused: z.number().int().describe("Every outcome but VALID"),
    }),
  })
  .register(components, { id: "UsageSeries" }) satisfies z.ZodType<UsageSeries>;

export const ZKeyUsage = ZUsageSeries.extend({
  keyId: z.string(),
  usageCount: z.number().int().describe("Successful verifications, ever"),
  lastUsedAt: instant().nullable(),
  lastClientIp: z.string().nullable().describe("The client address the gate last saw a successful call from"),
}).register(components, {
  id: "KeyUsage",
  description: "Counters are written by the usage flush every few seconds (USAGE_FLUSH_INTERVAL_MS)",
}) satisfies z.ZodType<KeyUsage>;

const ZKeyTraffic = z
  .object({
    key: ZKeyView,
    total: z.number().int(),
    valid: z.number().int(),
    refused: z.number().int(),
    counts: ZOutcomeCounts,
  })
  .register(components, { id: "KeyTraffic" });

export const ZAdminUsage = z
  .object({
    hours: z.number().int(),
    asOf: instant().describe("When the traffic figures (perHour, topKeys, topRefused) were counted"),
    perHour: ZUsageSeries,
    topKeys: z.array(ZKeyTraffic),
    topRefused: z.array(ZKeyTraffic),
    unused: z.object({
      days: z.number().int(),
      items: z.array(z.object({ key: ZKeyView, idleDays: z.number().int() })),
      next: z.string().nullable().describe("Pass as `unusedAfter` for more; null when the list is complete"),
      scanned: z.number().int().describe("Keys looked at for this page"),
    }),
  })
  .register(components, { id: "AdminUsage" }) satisfies z.ZodType<AdminUsage>;

export const ZPasskey = z
  .object({
    id: z.string(),
    name: z.string(),
    createdAt: instant(),
    lastUsedAt: instant().nullable(),
    deviceType: z.string().describe("singleDevice, or multiDevice (synced between the owner's devices)"),
    backedUp: z.boolean(),
    transports: z.array(z.string()),
  })
  .register(components, { id: "Passkey" }) satisfies z.ZodType<PasskeyView>;

const ZCredentialDescriptor = z.object({
  id: z.string(),
  type: z.literal("public-key"),
  transports: z.array(z.string()).optional(),
});

export const ZPasskeyRegistrationOptions = z
  .object({
    challenge: z.string(),
    rp: z.object({ name: z.string(), id: z.string().optional() }),
    user: z.object({ id: z.string(), name: z.string(), displayName: z.string() }),
    pubKeyCredParams: z.array(z.object({ alg: z.number().int(), type: z.literal("public-key") })),
    timeout: z.number().int().optional(),
    excludeCredentials: z.array(ZCredentialDescriptor).optional(),
    authenticatorSelection: z
      .object({
        authenticatorAttachment: z.string().optional(),
        residentKey: z.string().optional(),
        requireResidentKey: z.boolean().optional(),
        userVerification: z.string().optional(),
      })
      .optional(),
    attestation: z.string().optional(),
    extensions: z.object({ credProps: z.boolean().optional() }).optional(),
    hints: z.array(z.string()).optional(),
  })
  .register(components, {
    id: "PasskeyRegistrationOptions",
    description:
      "PublicKeyCredentialCreationOptionsJSON: pass as `optionsJSON` to @simplewebauthn/browser's startRegistration()",
  });

export const ZPasskeyAuthenticationOptions = z
  .object({
    challenge: z.string(),
    rpId: z.string().optional(),
    timeout: z.number().int().optional(),
    allowCredentials: z.array(ZCredentialDescriptor).optional(),
    userVerification: z.string().optional(),
    extensions: z.object({}).optional(),
    hints: z.array(z.string()).optional(),
  })
  .register(components, {
    id: "PasskeyAuthenticationOptions",
    description:
      "PublicKeyCredentialRequestOptionsJSON: pass as `optionsJSON` to @simplewebauthn/browser's startAuthentication()",
  });
export const ZSecondFactorStatus = z
  .object({
    totp: z.object({
      enabled: z.boolean(),
      pending: z.boolean().describe("Enrolment started and waiting for its first code"),
      confirmedAt: instant().nullable(),
    }),
    recoveryCodesLeft: z.number().int().describe("Unused recovery codes"),
    required: z.boolean().describe("Whether REQUIRE_2FA asks this account for a second factor"),
  })
  .register(components, { id: "SecondFactorStatus" }) satisfies z.ZodType<SecondFactorStatus>;

export const ZTotpEnrolment = z
  .object({
    secret: z.string().describe("The shared secret, base32: shown once, for typing into an app by hand"),
    otpauthUrl: z.string().describe("The otpauth:// URI an authenticator app scans as a QR code"),
  })
  .register(components, { id: "TotpEnrolment" });

export const ZRecoveryCodes = z
  .object({
    recoveryCodes: z.array(z.string()).describe("10 single-use codes, shown this once; only their hashes are kept"),
  })
  .register(components, { id: "RecoveryCodes" });

export const ZReauthOptions = z
  .object({
    recentAuthUntil: instant()
      .nullable()
      .describe("Until when dangerous actions need no re-authentication; null: they need it now"),
    methods: z
      .object({ password: z.boolean(), otp: z.boolean(), github: z.boolean() })
      .describe("How this account can re-authenticate"),
  })
  .register(components, { id: "ReauthOptions" }) satisfies z.ZodType<ReauthOptions>;

/** A route's one answer: 200 with this body. */
export const ok = (schema: z.ZodType, description = "OK"): Record<number, ResponseSpec> => ({
  200: { description, schema },
});
/** `{ [name]: value }`: the answer of a route that only says it did it. */
export const flag = (name: string, value: boolean) => z.object({ [name]: z.literal(value) });
