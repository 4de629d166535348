-- AlterEnum
ALTER TYPE "SweepStatus" ADD VALUE 'INTERRUPTED';

-- AlterTable
ALTER TABLE "SweepRun" ADD COLUMN     "heartbeatAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE INDEX "SweepRun_status_idx" ON "SweepRun"("status");

-- Existing runs: their last sign of life is when they finished, or else when they started (a run
-- left RUNNING by a kill then counts as interrupted at once, not three minutes after this migration).
UPDATE "SweepRun" SET "heartbeatAt" = COALESCE("finishedAt", "startedAt");
