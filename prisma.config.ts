import { defineConfig } from "prisma/config";

// Only `prisma generate`/`validate`/`format` run through the CLI here (scripts/prisma.mjs);
// migrations are applied by prisma/tools/migrate.ts, which reads DATABASE_URL itself.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
