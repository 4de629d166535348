-- CreateEnum
CREATE TYPE "UsageOutcome" AS ENUM ('VALID', 'EXPIRED', 'REVOKED', 'RATE_LIMITED', 'IP_REQUIRED', 'IP_NOT_ALLOWED', 'INSUFFICIENT_SCOPE', 'USAGE_EXCEEDED');

-- AlterEnum
ALTER TYPE "BlacklistReason" ADD VALUE 'IDLE';

-- AlterEnum
ALTER TYPE "EmailKind" ADD VALUE 'IDLE';

-- AlterEnum
ALTER TYPE "KeyEventType" ADD VALUE 'key.idle';

-- AlterEnum
ALTER TYPE "NoticeKind" ADD VALUE 'IDLE';

-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "allowedCidrs" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "lastClientIp" TEXT,
ADD COLUMN     "rateLimitMax" INTEGER,
ADD COLUMN     "rateLimitWindowSeconds" INTEGER,
ADD COLUMN     "usageCap" BIGINT;

-- CreateTable
CREATE TABLE "KeyUsageHour" (
    "keyId" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "outcome" "UsageOutcome" NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "KeyUsageHour_pkey" PRIMARY KEY ("keyId","hour","outcome")
);

-- CreateIndex
CREATE INDEX "KeyUsageHour_hour_idx" ON "KeyUsageHour"("hour");

-- AddForeignKey
ALTER TABLE "KeyUsageHour" ADD CONSTRAINT "KeyUsageHour_keyId_fkey" FOREIGN KEY ("keyId") REFERENCES "ApiKey"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A rate limit is a count and a window together, the window one of the four an owner can choose.
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_rate_limit" CHECK (
  ("rateLimitMax" IS NULL AND "rateLimitWindowSeconds" IS NULL)
  OR ("rateLimitMax" > 0 AND "rateLimitWindowSeconds" IN (1, 60, 3600, 86400)));
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_usage_cap" CHECK ("usageCap" IS NULL OR "usageCap" > 0);
