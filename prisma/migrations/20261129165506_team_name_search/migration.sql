-- CreateIndex
CREATE INDEX "Team_name_trgm_idx" ON "Team" USING GIN ("name" gin_trgm_ops);
