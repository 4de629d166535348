// The demo's past, made by the real code paths: each change (issue, revoke, blacklist, a team's
// creation, a sweep) runs now, through lib/, and what it wrote is then moved back to when the
// story says it happened, every copy of each instant together (the row, its audit event, its key
// event and the key described inside it, its notices, its emails), so every page tells one story.
// Only for the demo seed: it rewrites history, which nothing else may do.
import { Prisma, prisma } from "../../lib/db/client";

/** `ms` milliseconds as an interval. */
const span = (ms: number) => Prisma.sql`(${ms}::float8 * interval '1 millisecond')`;

/** A JSON instant moved back, in the format the app writes ("…T…Z", milliseconds). */
const movedIso = (value: Prisma.Sql, ms: number) =>
  Prisma.sql`to_jsonb(to_char(((${value})::timestamptz - ${span(ms)}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`;

/**
 * What one change wrote about these keys since `since`, moved back by `ms`: its audit events, key
 * events (then the notices made from them: a dispatcher that read an event before it moved wrote
 * its notice by then, and the event's row lock kept it from writing one after), and blacklistings.
 */
export async function backdateChange(keyIds: string[], since: Date, ms: number): Promise<void> {
  const back = span(ms);
  await prisma.$executeRaw`UPDATE "AuditEvent" SET at = at - ${back} WHERE "keyId" = ANY(${keyIds}::text[]) AND at >= ${since}`;
  await prisma.$executeRaw`
    UPDATE "KeyEvent" SET "occurredAt" = "occurredAt" - ${back},
      "noticedAt" = "noticedAt" - ${back}, "fannedOutAt" = "fannedOutAt" - ${back}
    WHERE "keyId" = ANY(${keyIds}::text[]) AND "occurredAt" >= ${since}`;
  await prisma.$executeRaw`UPDATE "Notification" SET "createdAt" = "createdAt" - ${back} WHERE "keyId" = ANY(${keyIds}::text[]) AND "createdAt" >= ${since}`;
  await prisma.$executeRaw`
    UPDATE "BlacklistedKey" SET "blacklistedAt" = "blacklistedAt" - ${back} WHERE "keyId" = ANY(${keyIds}::text[]) AND "blacklistedAt" >= ${since}`;
}

/**
 * A key just issued, issued `ms` earlier: its creation and its expiry (a 30-day key issued 28 days
 * ago expires in 2 days), wherever they are recorded, then the change itself.
 */
export async function backdateIssue(keyId: string, since: Date, ms: number): Promise<void> {
  const back = span(ms);
  await prisma.$executeRaw`
    UPDATE "ApiKey" SET "createdAt" = "createdAt" - ${back}, "expiresAt" = "expiresAt" - ${back}
    WHERE id = ${keyId}`;
  await prisma.$executeRaw`
    UPDATE "AuditEvent" SET detail = jsonb_set(detail, '{expiresAt}', ${movedIso(Prisma.sql`detail->>'expiresAt'`, ms)})
    WHERE "keyId" = ${keyId} AND at >= ${since} AND detail->>'expiresAt' IS NOT NULL AND detail->>'expiresAt' <> 'never'`;
  await prisma.$executeRaw`
    UPDATE "KeyEvent" SET data = jsonb_set(data, '{key,expiresAt}', ${movedIso(Prisma.sql`data->'key'->>'expiresAt'`, ms)})
    WHERE "keyId" = ${keyId} AND data->'key'->>'expiresAt' IS NOT NULL`;
  await backdateChange([keyId], since, ms);
}

/** A team created (and joined) since `since`, `ms` earlier: the team, its members, invitations, their emails and its audit events. */
export async function backdateTeam(teamId: string, since: Date, ms: number): Promise<void> {
  const back = span(ms);
  await prisma.$executeRaw`UPDATE "Team" SET "createdAt" = "createdAt" - ${back} WHERE id = ${teamId} AND "createdAt" >= ${since}`;
  await prisma.$executeRaw`UPDATE "TeamMember" SET "joinedAt" = "joinedAt" - ${back} WHERE "teamId" = ${teamId} AND "joinedAt" >= ${since}`;
  await prisma.$executeRaw`
    UPDATE "TeamInvitation" SET "createdAt" = "createdAt" - ${back}, "expiresAt" = "expiresAt" - ${back}, "acceptedAt" = "acceptedAt" - ${back}
    WHERE "teamId" = ${teamId} AND "createdAt" >= ${since}`;
  await prisma.$executeRaw`UPDATE "AuditEvent" SET at = at - ${back} WHERE "teamId" = ${teamId} AND "keyId" IS NULL AND at >= ${since}`;
}

/**
 * Emails handled since `since`, `ms` earlier: each of their instants that fell since then (a sweep
 * with a moved `now` queues them at that `now` already, but claims and sends them by the clock).
 */
export async function backdateEmails(since: Date, ms: number, userIds: string[]): Promise<void> {
  const moved = (column: string) => {
    const c = Prisma.raw(`"${column}"`);
    return Prisma.sql`${c} = CASE WHEN ${c} >= ${since} THEN ${c} - ${span(ms)} ELSE ${c} END`;
  };
  await prisma.$executeRaw`
    UPDATE "EmailMessage" SET ${moved("createdAt")}, ${moved("nextAttemptAt")}, ${moved("claimedAt")}, ${moved("sentAt")}
    WHERE "userId" = ANY(${userIds}::text[]) AND ("createdAt" >= ${since} OR "sentAt" >= ${since} OR "claimedAt" >= ${since})`;
}

/** A sweep run `ms` earlier than the clock it ran by (its `now` was moved already; its record was not). */
export async function backdateSweepRun(runId: string, ms: number): Promise<void> {
  const back = span(ms);
  await prisma.$executeRaw`
    UPDATE "SweepRun" SET "startedAt" = "startedAt" - ${back}, "finishedAt" = "finishedAt" - ${back}, "heartbeatAt" = "heartbeatAt" - ${back}
    WHERE id = ${runId}`;
}

/** People whose accounts the story says are older than today. */
export async function backdateUsers(userIds: string[], ms: number): Promise<void> {
  const back = span(ms);
  await prisma.$executeRaw`
    UPDATE "User" SET "createdAt" = "createdAt" - ${back}, "emailVerifiedAt" = "emailVerifiedAt" - ${back} WHERE id = ANY(${userIds}::text[])`;
}
