-- CreateEnum
CREATE TYPE "KeyKind" AS ENUM ('KEY', 'TOKEN');

-- CreateEnum
CREATE TYPE "UserKind" AS ENUM ('PERSON', 'BOT');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "KeyEventType" ADD VALUE 'token.created';
ALTER TYPE "KeyEventType" ADD VALUE 'token.expiring';
ALTER TYPE "KeyEventType" ADD VALUE 'token.expired';
ALTER TYPE "KeyEventType" ADD VALUE 'token.revoked';
ALTER TYPE "KeyEventType" ADD VALUE 'token.leaked';
ALTER TYPE "KeyEventType" ADD VALUE 'token.rotated';
ALTER TYPE "KeyEventType" ADD VALUE 'token.grace_ended';
ALTER TYPE "KeyEventType" ADD VALUE 'token.idle';

-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "kind" "KeyKind" NOT NULL DEFAULT 'KEY',
ADD COLUMN     "lastVerifierId" TEXT;

-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "actorToken" JSONB;

-- AlterTable
ALTER TABLE "Notification" ADD COLUMN     "keyKind" "KeyKind" NOT NULL DEFAULT 'KEY';

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "kind" "UserKind" NOT NULL DEFAULT 'PERSON';
