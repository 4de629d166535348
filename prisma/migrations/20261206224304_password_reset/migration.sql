-- Password recovery: links that set a new password, and the emails that carry them.
-- AlterEnum
ALTER TYPE "EmailKind" ADD VALUE 'PASSWORD_RESET';

-- AlterEnum
ALTER TYPE "TokenPurpose" ADD VALUE 'RESET_PASSWORD';
