-- DropIndex
DROP INDEX "BlacklistedKey_blacklistedAt_idx";

-- DropIndex
DROP INDEX "Notification_emailStatus_createdAt_idx";

-- CreateIndex
CREATE INDEX "BlacklistedKey_blacklistedAt_keyId_idx" ON "BlacklistedKey"("blacklistedAt", "keyId");

-- CreateIndex
CREATE INDEX "Notification_emailStatus_userId_idx" ON "Notification"("emailStatus", "userId");
