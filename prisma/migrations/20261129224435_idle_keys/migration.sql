-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "idleSeenAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "Notification" ADD COLUMN     "keyIdleSince" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "SweepRun" ADD COLUMN     "idleReminders" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "idled" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "usagePurged" INTEGER NOT NULL DEFAULT 0;

-- The idle sweep walks keys by the latest use it has seen (lib/sweep/idle-steps.ts). An expression
-- index over two columns the usage flush never writes: the flush's updates of lastUsedAt stay HOT.
-- (Not in schema.prisma, which cannot express it; Prisma's diff leaves expression indexes alone: db:check agrees.)
CREATE INDEX "ApiKey_idle_seen_idx" ON "ApiKey" ((COALESCE("idleSeenAt", "createdAt")), id);
