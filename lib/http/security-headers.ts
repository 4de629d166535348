// The headers pages and responses carry. next.config.mjs sets the fixed ones (fixed-headers.mjs:
// nosniff, Referrer-Policy, X-Frame-Options, COOP, Permissions-Policy) on every response Next
// serves, server/fast-path.ts on the ones it answers itself; proxy.ts each page's
// Content-Security-Policy, with a fresh nonce per request; server/ HSTS when APP_URL is https.

/** Two years, as browsers' preload lists ask; only sent when APP_URL is https. */
export const HSTS = "max-age=63072000; includeSubDomains";

export interface CspOptions {
  nonce: string;
  /** next dev needs eval for fast refresh; production never does. */
  dev: boolean;
  https: boolean;
  /** Where forms may lead besides ourselves (GitHub's sign-in page, after the redirect). */
  formActions: string[];
}

/**
 * Scripts only from us and only with this response's nonce ('strict-dynamic' lets Next's own
 * loader add its chunks); styles may be inline (charts set style attributes); nothing may frame
 * the portal; forms post to us (and on to GitHub's sign-in).
 */
export function contentSecurityPolicy(o: CspOptions): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${o.nonce}' 'strict-dynamic'${o.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${o.dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    `form-action 'self'${o.formActions.map((a) => ` ${a}`).join("")}`,
    "frame-ancestors 'none'",
    ...(o.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}
