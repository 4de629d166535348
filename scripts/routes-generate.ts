// npm run routes:generate – rewrite app/api/declarations.ts, the registry of every route's
// declaration (see scripts/lib/route-registry.ts).
import { writeFileSync } from "node:fs";
import { relative } from "node:path";
import { REGISTRY_FILE, registrySource } from "./lib/route-registry";

writeFileSync(REGISTRY_FILE, await registrySource());
console.log(`[keyward] wrote ${relative(process.cwd(), REGISTRY_FILE)}`);
