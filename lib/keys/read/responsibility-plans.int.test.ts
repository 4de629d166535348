// What a person is responsible for, beside a large ApiKey (PostgreSQL only: the embedded database
// is not where a table grows that large). The renewal banner on every portal page, the chart and
// `view=responsible` ask it; written as an OR across the team and member joins it could use no
// index, and read every key for every page (seconds at 1,000,000 keys). Resolved to columns first
// (responsibility.ts), each arm has an index of its own.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma, prisma } from "@/lib/db/client";
import { closeTestDb, seedKey, seedTeam, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { PrismaClient } from "@/lib/db/generated/client";
import { createPgAdapter } from "@/lib/db/pg-adapter";
import { responsibleFor, responsibleForSql } from "../key-owner";
import { tabWhere } from "./list-keys";
import { expiringSummary } from "./expiring-summary";
import { responsibilityOf } from "./responsibility";

const postgres = testEnv.dbKind === "postgres";
const KEYS = 200_000;
let bulkOwner = "";

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  "Rows Removed by Filter"?: number;
  Plans?: PlanNode[];
}
const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];

/**
 * How many ApiKey rows the statement looked at, run for real (EXPLAIN ANALYZE): the rows each
 * scan of ApiKey returned and the ones its filter threw away, over all its loops.
 */
async function rowsRead(text: string, values: unknown[]): Promise<number> {
  const [row] = await prisma.$queryRawUnsafe<{ "QUERY PLAN": { Plan: PlanNode }[] }[]>(
    `EXPLAIN (ANALYZE, FORMAT JSON) ${text}`,
    ...values,
  );
  return nodes(row!["QUERY PLAN"][0]!.Plan)
    .filter((n) => n["Relation Name"] === "ApiKey")
    .reduce(
      (sum, n) => sum + ((n["Actual Rows"] ?? 0) + (n["Rows Removed by Filter"] ?? 0)) * (n["Actual Loops"] ?? 1),
      0,
    );
}

const explainSql = (responsibility: Awaited<ReturnType<typeof responsibilityOf>>) => {
  const sql = Prisma.sql`SELECT count(*) FROM "ApiKey" k WHERE ${responsibleForSql(responsibility)} AND k."expiresAt" > now() AND k.kind = 'KEY'`;
  return rowsRead(sql.text, sql.values);
};

beforeAll(async () => {
  if (!postgres) return;
  bulkOwner = (await seedUser(testDb())).id;
  await testDb().$executeRaw`
    INSERT INTO "ApiKey" (id, "userId", name, prefix, last4, hash, scopes, "createdAt", "expiresAt")
    SELECT gen_random_uuid()::text, ${bulkOwner}, 'resp-' || i, 'kw_resp', lpad((i % 10000)::text, 4, '0'), md5('resp' || i) || md5(i::text),
           ARRAY['read'], now() - interval '10 days', now() + (i % 30 || ' days')::interval
    FROM generate_series(1, ${KEYS}::int) i`;
  await prisma.$executeRawUnsafe(`ANALYZE "ApiKey"`);
}, 120_000);
afterAll(async () => {
  if (postgres) {
    await testDb().apiKey.deleteMany({ where: { userId: bulkOwner } });
    await prisma.$executeRawUnsafe(`ANALYZE "ApiKey"`);
  }
  await closeTestDb();
});

describe.skipIf(!postgres)("what a person is responsible for, beside 200,000 other keys", () => {
  it("is read by the person's own columns, never by walking other people's keys: the banner's count and the chart's query", async () => {
    const person = await seedUser(testDb());
    const boss = await seedUser(testDb());
    const administered = await seedTeam(testDb(), { owner: person.id });
    const joined = await seedTeam(testDb(), { owner: boss.id, members: [{ userId: person.id, role: "MEMBER" }] });
    const responsibility = await responsibilityOf(person.id);
    expect(responsibility.administered).toEqual([administered.id]);
    expect(responsibility.member).toEqual([joined.id]);

    // The banner's count as Prisma writes it, caught from a client that logs its statements.
    const logged = new PrismaClient({
      adapter: createPgAdapter({ connectionString: testEnv.databaseUrl, max: 1 }),
      log: [{ emit: "event", level: "query" }],
    });
    const statements: { query: string; params: string }[] = [];
    logged.$on("query", (event) => statements.push({ query: event.query, params: event.params }));
    await logged.apiKey.count({ where: { AND: [responsibleFor(responsibility), tabWhere("expiring", new Date())] } });
    await logged.$disconnect();
    const count = statements.find((s) => s.query.includes("COUNT"))!;
    const banner = await rowsRead(count.query, JSON.parse(count.params) as unknown[]);
    // The person has no keys: a statement that reads by the person's own columns looks at next to
    // none, where one that walks the expiring keys and tests each against the joins looks at all
    // of those (tens of thousands here).
    expect(banner).toBeLessThan(100);
    expect(await explainSql(responsibility)).toBeLessThan(100);
  });

  it("counts the person's own keys, their team's, and what they issued where they are a member; nobody else's", async () => {
    const person = await seedUser(testDb());
    const boss = await seedUser(testDb());
    const administered = await seedTeam(testDb(), { owner: person.id });
    const joined = await seedTeam(testDb(), { owner: boss.id, members: [{ userId: person.id, role: "MEMBER" }] });
    const soon = new Date(Date.now() + 2 * 86_400_000);
    await seedKey(testDb(), { userId: person.id, name: "mine", expiresAt: soon });
    await seedKey(testDb(), { teamId: administered.id, issuedById: boss.id, name: "team-i-run", expiresAt: soon });
    await seedKey(testDb(), { teamId: joined.id, issuedById: person.id, name: "issued-by-me", expiresAt: soon });
    await seedKey(testDb(), { teamId: joined.id, issuedById: boss.id, name: "the-boss's", expiresAt: soon });
    await seedKey(testDb(), { userId: boss.id, name: "not-mine", expiresAt: soon });
    const summary = await expiringSummary(person.id);
    expect(summary.count).toBe(3);
  });
});
