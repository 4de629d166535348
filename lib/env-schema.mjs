// Keyward's configuration, validated once. Imported by next.config.mjs so a malformed value
// fails `next build`, and by lib/env.ts for typed access at run time. Plain .mjs because
// next.config.mjs cannot import TypeScript.
import proxyaddr from "proxy-addr";
import { z } from "zod";

const bool = (fallback) =>
  z
    .enum(["true", "false", "1", "0", "yes", "no", ""])
    .optional()
    .transform((v) => (v === undefined || v === "" ? fallback : ["true", "1", "yes"].includes(v)));

const int = (fallback, min, max) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === "" ? String(fallback) : v.trim()))
    .pipe(z.coerce.number().int().min(min).max(max));

const list = (fallback, item) =>
  z
    .string()
    .optional()
    .transform((v) =>
      (v === undefined || v.trim() === "" ? fallback : v)
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).min(1));

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

export const ZEnv = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: optionalString.pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional()),
    /** A direct session to the same database, for LISTEN, the sweep lock and migrations (lib/db/direct-url.ts). */
    DATABASE_DIRECT_URL: optionalString.pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional()),
    APP_URL: z
      .string()
      .optional()
      .transform((v) => (v && v.trim() ? v.trim().replace(/\/+$/, "") : "http://localhost:3000"))
      .pipe(z.url({ protocol: /^https?$/ })),
    AUTH_SECRET: optionalString.pipe(z.string().min(32, "AUTH_SECRET must be at least 32 characters").optional()),
    AUTH_GITHUB_ID: optionalString,
    AUTH_GITHUB_SECRET: optionalString,
    AUTH_GITHUB_ENTERPRISE_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
    /** Single sign-on with any OpenID Connect provider (lib/sso): on when issuer, id and secret are set. */
    OIDC_ISSUER: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
    OIDC_CLIENT_ID: optionalString,
    OIDC_CLIENT_SECRET: optionalString,
    /** The provider's name on the sign-in button ("Continue with <name>"). */
    OIDC_NAME: z
      .string()
      .optional()
      .transform((v) => (v && v.trim() ? v.trim().slice(0, 60) : "SSO")),
    /** Scopes asked for; add the one your provider needs for a groups claim (e.g. groups). */
    OIDC_SCOPES: z
      .string()
      .optional()
      .transform((v) =>
        v && v.trim()
          ? v
              .trim()
              .split(/[\s,]+/)
              .join(" ")
          : "openid email profile",
      )
      .refine((v) => v.split(" ").includes("openid"), "OIDC_SCOPES must include openid"),
    /** Only verified addresses in these domains may sign in with OIDC (comma list); unset: any. */
    OIDC_ALLOWED_DOMAINS: optionalString
      .transform((v) =>
        v === undefined
          ? []
          : v
              .split(",")
              .map((d) => d.trim().toLowerCase().replace(/^@/, ""))
              .filter(Boolean),
      )
      .pipe(
        z.array(
          z
            .string()
            .regex(
              /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/,
              "OIDC_ALLOWED_DOMAINS lists domains, e.g. example.com,example.org",
            ),
        ),
      ),
    /** Members of this group (the groups claim) are admins; leaving it demotes an admin it made. */
    OIDC_ADMIN_GROUP: optionalString,
    ALLOW_SIGNUP: bool(true),
    /**
     * Who must have a second factor (lib/second-factor/policy.ts): admins, everyone, or off. Unset:
     * admins when NODE_ENV=production, off otherwise.
     */
    REQUIRE_2FA: z.enum(["admins", "everyone", "off"]).optional(),
    /** Password-reset requests per client per hour, on every instance together (0: no per-client limit). */
    PASSWORD_RESET_RATE_LIMIT: int(10, 0, 10_000),
    ADMIN_EMAIL: optionalString.pipe(z.email().optional()),
    ADMIN_PASSWORD: optionalString.pipe(z.string().min(8, "ADMIN_PASSWORD must be at least 8 characters").optional()),
    CRON_SECRET: optionalString,
    KEY_PREFIX: z
      .string()
      .optional()
      .transform((v) => (v && v.trim() ? v.trim() : "kw"))
      .pipe(
        z
          .string()
          .regex(/^[a-z][a-z0-9]{1,9}$/, "KEY_PREFIX must be 2-10 lowercase letters/digits")
          // API tokens to Keyward itself carry `kwt_`: a key must never pass for one.
          .refine((prefix) => prefix !== "kwt", "KEY_PREFIX kwt is taken by Keyward's API tokens"),
      ),
    KEY_SCOPES: list("read,write", z.string().regex(/^[a-z][a-z0-9:._-]{0,39}$/, "scopes are lowercase words")),
    KEY_MAX_LIFETIME_DAYS: int(365, 0, 36500),
    KEY_ALLOW_NEVER_EXPIRES: bool(false),
    EXPIRY_REMINDER_DAYS: list("7,1", z.coerce.number().int().min(1).max(365)).transform((days) =>
      [...new Set(days)].sort((a, b) => b - a),
    ),
    RETENTION_DAYS: int(90, 0, 36500),
    /** Keys unused (no successful verification) for this many days are blacklisted IDLE; 0: off. */
    KEY_IDLE_DAYS: int(0, 0, 36500),
    /** Hourly usage counters older than this many days are purged by the sweep. */
    USAGE_RETENTION_DAYS: int(90, 1, 36500),
    /** Per-key rate limit counters live here when set (shared by every instance); else in process. */
    REDIS_URL: optionalString.pipe(z.url({ protocol: /^rediss?$/ }).optional()),
    SWEEP_BATCH_SIZE: int(2000, 1, 100000),
    /** Time budget of one sweep run, in seconds (0: none); see lib/sweep/backlog.ts. */
    SWEEP_MAX_SECONDS: int(50, 0, 3600),
    SWEEP_WARN_AFTER_HOURS: int(24, 1, 24 * 365),
    VERIFY_RATE_LIMIT: int(6000, 0, 10_000_000),
    /** Whether the verify route wants a verifier token (lib/tokens): off, optional, required. */
    VERIFY_AUTH: z
      .enum(["off", "optional", "required"])
      .optional()
      .transform((v) => v ?? "optional"),
    /** Verifications per minute per verifier token (their own budget, apart from anonymous callers'). */
    VERIFY_TOKEN_RATE_LIMIT: int(600_000, 0, 100_000_000),
    /** API tokens (lib/tokens): the longest lifetime a new one may have, in days (0: no maximum). */
    API_TOKEN_MAX_DAYS: int(365, 0, 36500),
    /** Whether an API token may be made that never expires. */
    API_TOKEN_ALLOW_NEVER: bool(false),
    VERIFY_MISS_LIMIT: int(600, 0, 10_000_000),
    /** Keyward's server answers the verify route itself, without Next's router (server/front.ts). */
    VERIFY_FAST_PATH: bool(true),
    /** Proxies in front of Keyward: a hop count, or addresses/CIDRs (see lib/net/client-address.ts). */
    TRUSTED_PROXIES: optionalString.refine(
      (v) => v === undefined || (/^\d+$/.test(v) ? Number(v) <= 20 : isProxyList(v)),
      "TRUSTED_PROXIES must be a hop count (0-20) or comma-separated IP addresses/CIDRs (or loopback, linklocal, uniquelocal)",
    ),
    KEY_CACHE_TTL_MS: int(30_000, 0, 3_600_000),
    KEY_CACHE_SYNC: z
      .enum(["notify", "local"])
      .optional()
      .transform((v) => v ?? "notify"),
    SMTP_URL: optionalString.pipe(z.url({ protocol: /^smtps?$/ }).optional()),
    MAIL_FROM: z
      .string()
      .optional()
      .transform((v) => (v && v.trim() ? v.trim() : "Keyward <keyward@localhost>")),
    MAIL_MAX_ATTEMPTS: int(5, 1, 50),
    WEBHOOK_ALLOW_PRIVATE: bool(false),
    /** GitHub secret scanning's public keys: a file path, or an http(s) URL of that document. */
    SECRET_SCANNING_PUBLIC_KEYS: optionalString,
    LEAK_REPORT_RATE_LIMIT: int(10, 0, 10_000),
    /** Passkey sign-in options (each a stored challenge) per client per minute, on each instance. */
    PASSKEY_OPTIONS_RATE_LIMIT: int(30, 0, 10_000),
    WEBHOOK_RETRY_BASE_MS: int(30_000, 10, 3_600_000),
    /**
     * Keyward's HTTP server (server/main.ts): how long a client may take to send its headers, then
     * its whole request (answers take as long as they take: the audit export, a sweep call), and
     * how long an idle kept-alive connection stays open.
     */
    HTTP_HEADERS_TIMEOUT_MS: int(10_000, 100, 600_000),
    HTTP_REQUEST_TIMEOUT_MS: int(30_000, 100, 3_600_000),
    HTTP_KEEP_ALIVE_TIMEOUT_MS: int(5_000, 100, 600_000),
    /** Open connections per client address (IPv6: per /64), trusted proxies aside; 0: no bound. */
    HTTP_MAX_CONNECTIONS_PER_CLIENT: int(100, 0, 1_000_000),
    /** GET /metrics answers callers that send this as a Bearer token (server/metrics-endpoint.ts). */
    METRICS_TOKEN: optionalString.pipe(z.string().min(16, "METRICS_TOKEN must be at least 16 characters").optional()),
    /** /metrics is served on a listener of its own on this port (same HOST), not on PORT. */
    METRICS_PORT: optionalString.pipe(z.coerce.number().int().min(1).max(65535).optional()),
    /** The least severe log lines written (lib/log/logger.ts). */
    LOG_LEVEL: optionalString
      .pipe(z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional())
      .transform((v) => v ?? "info"),
  })
  .refine((env) => env.HTTP_HEADERS_TIMEOUT_MS <= env.HTTP_REQUEST_TIMEOUT_MS, {
    // Node refuses a server whose headers may take longer than the whole request.
    message: "HTTP_HEADERS_TIMEOUT_MS must not be longer than HTTP_REQUEST_TIMEOUT_MS",
    path: ["HTTP_HEADERS_TIMEOUT_MS"],
  });

/**
 * Settings read outside the schema above: by npm start (scripts/start.ts), Keyward's server
 * (server/main.ts) and the database client, before or beside the parsed configuration. Documented
 * with the others in the README's configuration table; deployment files may set them.
 */
export const PROCESS_SETTINGS = [
  "PORT",
  "HOST",
  "KEYWARD_DATA_DIR",
  "KEYWARD_CONFIG_DIR",
  "DATABASE_POOL_SIZE",
  "USAGE_FLUSH_INTERVAL_MS",
  "AUTH_URL",
  "SEED_DEMO",
];

/**
 * What a production deployment sets itself. npm start generates AUTH_SECRET and CRON_SECRET into
 * its data folder, which serves one instance; instances sharing a database must share them (sessions,
 * webhook secrets), and APP_URL is the public address of every link and redirect. Checked against
 * compose.yaml and deploy/ by lib/deploy/deploy-files.test.ts.
 */
export const REQUIRED_IN_PRODUCTION = ["AUTH_SECRET", "CRON_SECRET", "APP_URL"];

function isProxyList(value) {
  try {
    proxyaddr.compile(
      value
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    );
    return true;
  } catch {
    return false;
  }
}

/**
 * Parses an environment object. Throws one readable error listing every bad variable.
 * @param {Record<string, string | undefined>} source
 */
export function parseEnv(source) {
  const result = ZEnv.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".") || "(env)"}: ${i.message}`);
    throw new Error(`Invalid Keyward configuration:\n${lines.join("\n")}`);
  }
  const env = result.data;
  if (env.CRON_SECRET !== undefined && env.CRON_SECRET.length < 16) {
    // Not fatal: the sweep route refuses to run and says why (PRODUCT.md), the portal still works.
    console.warn("[keyward] CRON_SECRET is shorter than 16 characters: the sweep route stays disabled.");
  }
  return env;
}
