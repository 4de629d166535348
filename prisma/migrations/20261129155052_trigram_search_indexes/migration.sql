-- Substring search over every key (admin: name, owner address and name, display prefix) with
-- trigram indexes. pg_trgm ships with PostgreSQL (contrib) and with PGlite (lib/db/pglite-extensions.ts).
-- On a large table this builds for a while and blocks writes to ApiKey meanwhile; see docs/performance.md.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateIndex
CREATE INDEX "ApiKey_name_trgm_idx" ON "ApiKey" USING GIN ("name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "ApiKey_prefix_trgm_idx" ON "ApiKey" USING GIN ("prefix" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "ApiKey_last4_idx" ON "ApiKey"("last4");

-- CreateIndex
CREATE INDEX "User_email_trgm_idx" ON "User" USING GIN ("email" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "User_name_trgm_idx" ON "User" USING GIN ("name" gin_trgm_ops);
