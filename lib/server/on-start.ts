import "server-only";
import { usageRecorder } from "@/lib/keys/usage-recorder";

/**
 * Checks what must hold in production, and makes a graceful shutdown flush the usage counts
 * that verification coalesces in memory.
 */
export function onServerStart(): void {
  if (process.env.NODE_ENV === "production" && !process.env.AUTH_SECRET) {
    throw new Error("AUTH_SECRET is required in production (npm start generates one; see README).");
  }
  // With NEXT_MANUAL_SIG_HANDLE set (scripts/lib/app-server.ts) Next leaves signals to us.
  if (!process.env.NEXT_MANUAL_SIG_HANDLE) return;
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    const timeout = setTimeout(() => process.exit(1), 5000);
    usageRecorder
      .flush()
      .catch((error: unknown) => console.error("[keyward] final usage flush failed", error))
      .finally(() => {
        clearTimeout(timeout);
        process.exit(0);
      });
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}
