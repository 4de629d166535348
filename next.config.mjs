// Validating the environment here makes a malformed value fail `next build`, not the first request.
import { parseEnv } from "./lib/env-schema.mjs";

parseEnv(process.env);

// The same list as lib/http/security-headers.ts (next.config cannot import TypeScript); a test
// reads these headers off real responses.
const SECURITY_HEADERS = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // Native/WASM database drivers are loaded by Node at run time, not bundled.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "@electric-sql/pglite"],
  typedRoutes: false,
  // Server actions are the sign-in and sign-up forms: a few hundred bytes each.
  experimental: { serverActions: { bodySizeLimit: "64kb" } },
  async headers() {
    return [{ source: "/:path*", headers: SECURITY_HEADERS }];
  },
};

export default nextConfig;
