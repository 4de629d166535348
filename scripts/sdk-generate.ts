// npm run sdk:generate – rewrite the SDK's types from the OpenAPI document (see scripts/lib/sdk-types.ts).
import { writeFileSync } from "node:fs";
import { relative } from "node:path";
import { SDK_TYPES_FILE, sdkTypesSource } from "./lib/sdk-types";

const source = await sdkTypesSource();
writeFileSync(SDK_TYPES_FILE, source);
console.log(`[keyward] wrote ${relative(process.cwd(), SDK_TYPES_FILE)} (${source.length} bytes)`);
