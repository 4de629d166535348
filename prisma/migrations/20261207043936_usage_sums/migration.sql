-- Usage pre-summed, so the admin usage page no longer reads every key's counters
-- (lib/usage/usage-recorder.ts keeps both tables from now on, in the flush's transaction):
-- "UsageSumHour": per hour and outcome, over every key ("ownerId" '') and over each owner's keys;
-- "KeyUsageHourTotal": per key and hour, every answer and the refusals, in the orders the page's
-- top lists read. Both start from the counters already written, summed below. On a large
-- KeyUsageHour this reads it once and writes about as many rows again (seconds per million rows).

-- CreateTable
CREATE TABLE "KeyUsageHourTotal" (
    "keyId" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "answers" BIGINT NOT NULL,
    "refused" BIGINT NOT NULL,

    CONSTRAINT "KeyUsageHourTotal_pkey" PRIMARY KEY ("keyId","hour")
);

-- CreateTable
CREATE TABLE "UsageSumHour" (
    "ownerId" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "outcome" "UsageOutcome" NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "UsageSumHour_pkey" PRIMARY KEY ("ownerId","hour","outcome")
);

-- The counters already written, summed (before the indexes: one build each instead of upkeep).
INSERT INTO "KeyUsageHourTotal" ("keyId", "hour", "answers", "refused")
SELECT u."keyId", u."hour", sum(u."count"), COALESCE(sum(u."count") FILTER (WHERE u."outcome" <> 'VALID'), 0)
FROM "KeyUsageHour" u
GROUP BY u."keyId", u."hour";

-- Site-wide (owner '') and per owner: a key's user or team, exactly one of which is set.
INSERT INTO "UsageSumHour" ("ownerId", "hour", "outcome", "count")
SELECT CASE WHEN GROUPING(COALESCE(k."userId", k."teamId")) = 1 THEN '' ELSE COALESCE(k."userId", k."teamId") END,
       u."hour", u."outcome", sum(u."count")
FROM "KeyUsageHour" u JOIN "ApiKey" k ON k."id" = u."keyId"
GROUP BY GROUPING SETS ((u."hour", u."outcome"), (COALESCE(k."userId", k."teamId"), u."hour", u."outcome"));

-- CreateIndex
CREATE INDEX "KeyUsageHourTotal_hour_answers_keyId_idx" ON "KeyUsageHourTotal"("hour", "answers" DESC, "keyId");

-- CreateIndex
CREATE INDEX "KeyUsageHourTotal_hour_refused_keyId_idx" ON "KeyUsageHourTotal"("hour", "refused" DESC, "keyId");

-- CreateIndex
CREATE INDEX "UsageSumHour_hour_idx" ON "UsageSumHour"("hour");

-- AddForeignKey
ALTER TABLE "KeyUsageHourTotal" ADD CONSTRAINT "KeyUsageHourTotal_keyId_fkey" FOREIGN KEY ("keyId") REFERENCES "ApiKey"("id") ON DELETE CASCADE ON UPDATE CASCADE;
