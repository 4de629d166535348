-- DropIndex
DROP INDEX "ApiKey_expiresAt_idx";

-- DropIndex
DROP INDEX "ApiKey_graceEndsAt_idx";

-- CreateIndex
CREATE INDEX "ApiKey_expiresAt_id_idx" ON "ApiKey"("expiresAt", "id");

-- CreateIndex
CREATE INDEX "ApiKey_graceEndsAt_id_idx" ON "ApiKey"("graceEndsAt", "id");
