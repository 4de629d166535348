// Validating the environment here makes a malformed value fail `next build`, not the first request.
import { parseEnv } from "./lib/env-schema.mjs";
import { FIXED_SECURITY_HEADERS } from "./lib/http/fixed-headers.mjs";

parseEnv(process.env);

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // Native/WASM database drivers are loaded by Node at run time, not bundled; so are the logger
  // and the metrics client, which Keyward's server (loaded by Node) shares with the routes.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "@electric-sql/pglite", "pino", "prom-client"],
  typedRoutes: false,
  // Server actions are the sign-in and sign-up forms: a few hundred bytes each.
  experimental: { serverActions: { bodySizeLimit: "64kb" } },
  async headers() {
    return [{ source: "/:path*", headers: FIXED_SECURITY_HEADERS }];
  },
};

export default nextConfig;
