-- DropIndex
DROP INDEX "ApiKey_lastUsedAt_idx";
