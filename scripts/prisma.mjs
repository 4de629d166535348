// Runs the Prisma CLI offline. The CLI insists on a native schema engine it would download
// from a CDN; `generate`/`validate`/`format` never call it, so any existing executable will
// do. Migrations go through the WebAssembly engine instead (prisma/tools/migrate.ts).
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
env.PRISMA_HIDE_UPDATE_MESSAGE = "1";
const cli = require.resolve("prisma/build/index.js");
const result = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], { stdio: "inherit", env });
process.exit(result.status ?? 1);
