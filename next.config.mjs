// Validating the environment here makes a malformed value fail `next build`, not the first request.
import { parseEnv } from "./lib/env-schema.mjs";

parseEnv(process.env);

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // Native/WASM database drivers are loaded by Node at run time, not bundled.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "@electric-sql/pglite"],
  typedRoutes: false,
};

export default nextConfig;
