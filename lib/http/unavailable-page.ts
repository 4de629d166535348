// The page a browser gets while the database is unreachable: a 503 that says so and retries,
// instead of Next's bare 500 document. Self-contained (inline styles, no scripts), because
// nothing else of the app can be rendered without the database.

export function unavailablePage(retryUrl: string): string {
  const href = retryUrl.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="10"><title>Keyward is unavailable</title>
<style>body{font-family:system-ui,sans-serif;margin:0;background:#fafafa;color:#18181b}main{max-width:32rem;margin:6rem auto;padding:0 1rem;text-align:center}
a{color:#4f46e5;font-weight:600}@media (prefers-color-scheme:dark){body{background:#09090b;color:#f4f4f5}a{color:#a5b4fc}}</style></head>
<body><main role="alert"><p style="font-weight:600;color:#b45309">503</p><h1>The key database is unreachable</h1>
<p>Keyward cannot read its data right now. Nothing was changed. This page retries by itself every 10 seconds, or <a href="${href}">retry now</a>.</p>
<p style="font-size:.875rem;opacity:.7">Services that verify keys get a 503 too until it is back (never a wrong answer).</p></main></body></html>`;
}
