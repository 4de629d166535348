// The caller's address for audit and rate limiting. `next start` sets x-forwarded-for from the
// socket; behind a reverse proxy the left-most entry is the client the proxy saw.
export function clientIp(headers: Headers): string | null {
  const forwarded = headers.get("x-forwarded-for");
  if (forwarded) return forwarded.split(",")[0]!.trim() || null;
  return headers.get("x-real-ip");
}
