-- AlterTable
ALTER TABLE "SweepRun" ADD COLUMN     "backlogId" TEXT,
ADD COLUMN     "done" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "keysLeft" INTEGER,
ADD COLUMN     "resumeFrom" JSONB;

-- CreateIndex
CREATE INDEX "SweepRun_backlogId_idx" ON "SweepRun"("backlogId");
