// Recognises "the database is not there" among whatever the driver adapter throws, so callers
// answer 503 (never VALID on doubt, never a 500 with a stack).
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "EPIPE",
  "57P01", // admin_shutdown
  "57P03", // cannot_connect_now
  "53300", // too_many_connections
  "P1001", // Prisma: can't reach database server
  "P1017", // Prisma: server closed the connection
]);

const UNAVAILABLE_MESSAGE =
  /connect(ion)? (refused|terminated|timeout|reset)|timeout exceeded when trying to connect|Can't reach database|DatabaseNotReachable|Connection terminated/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const e = current as { code?: unknown; errorCode?: unknown; name?: unknown; message?: unknown; cause?: unknown };
    if (typeof e.code === "string" && UNAVAILABLE_CODES.has(e.code)) return true;
    if (typeof e.errorCode === "string" && UNAVAILABLE_CODES.has(e.errorCode)) return true;
    if (e.name === "PrismaClientInitializationError") return true;
    if (typeof e.message === "string" && UNAVAILABLE_MESSAGE.test(e.message)) return true;
    current = e.cause;
  }
  return false;
}
