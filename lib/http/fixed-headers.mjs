// The security headers every response carries, whoever answers it: next.config.mjs sets them on
// everything Next serves, and Keyward's server (server/fast-path.ts) on what it answers itself.
// Plain .mjs because next.config.mjs cannot import TypeScript.
export const FIXED_SECURITY_HEADERS = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
];
