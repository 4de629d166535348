// Plans of the sweep's batch statements beside a large ApiKey (PostgreSQL only: the embedded
// database is not where a table grows that large).
// - The idle batch must find the keys it updates by primary key. With its `seen` list inlined
//   into the UPDATE, the planner hashed the whole table for every batch: 1.5–2 s a batch beside
//   1,000,000 keys (bench:sweep).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { closeTestDb, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { idleBatchSql } from "./idle-steps";
import { START } from "@/lib/db/batch";

const postgres = testEnv.dbKind === "postgres";
const KEYS = 200_000;
let ownerId = "";

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  Plans?: PlanNode[];
}

const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];

beforeAll(async () => {
  if (!postgres) return;
  ownerId = (await seedUser(testDb())).id;
  // Keys issued 200 days ago and never used: what the idle walk looks at.
  await testDb().$executeRaw`
    INSERT INTO "ApiKey" (id, "userId", name, prefix, last4, hash, scopes, "createdAt", "expiresAt")
    SELECT gen_random_uuid()::text, ${ownerId}, 'plan-' || i, 'kw_plan', lpad((i % 10000)::text, 4, '0'), md5('plan' || i) || md5(i::text),
           ARRAY['read'], now() - interval '200 days', now() + interval '300 days'
    FROM generate_series(1, ${KEYS}::int) i`;
  await prisma.$executeRawUnsafe(`ANALYZE "ApiKey"`);
}, 120_000);
afterAll(async () => {
  if (postgres) {
    await testDb().apiKey.deleteMany({ where: { userId: ownerId } });
    await prisma.$executeRawUnsafe(`ANALYZE "ApiKey"`);
  }
  await closeTestDb();
  await prisma.$disconnect();
});

async function plan(statement: { text: string; values: unknown[] }): Promise<PlanNode> {
  const [row] = await prisma.$queryRawUnsafe<{ "QUERY PLAN": { Plan: PlanNode }[] }[]>(
    `EXPLAIN (FORMAT JSON) ${statement.text}`,
    ...statement.values,
  );
  return row!["QUERY PLAN"][0]!.Plan;
}

describe.skipIf(!postgres)("the sweep's batch plans", () => {
  it("the idle batch reads ApiKey by index only, never the whole table", async () => {
    const idle = await plan(idleBatchSql({ now: new Date(), idleDays: 90, reminderDays: [7, 1] }, 2000, START));
    const scans = nodes(idle)
      .filter((n) => n["Relation Name"] === "ApiKey")
      .map((n) => n["Node Type"]);
    expect(scans.length).toBeGreaterThan(0);
    expect(scans).not.toContain("Seq Scan");
  });
});
