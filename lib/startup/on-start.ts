import "server-only";
import { startDispatcher } from "@/lib/dispatch/dispatcher";
import { env } from "@/lib/env";
import { closeRateCounter, rateCounter } from "@/lib/limits/rate-counter";
import { usageRecorder } from "@/lib/usage/usage-recorder";
import { answerVerify, VERIFY_PATH } from "@/lib/verify/verify-endpoint";
import { keyCacheFigures, startKeyStore } from "@/lib/keys/check/key-store";
import { log } from "@/lib/log/logger";
import { readDatabaseFigures } from "@/lib/metrics/database-figures";
import { metricsOn, provideMetricSources } from "@/lib/metrics/registry";
import { provideFastRoute } from "@/lib/process/fast-routes";
import { behindFrontServer, onShutdown, runShutdownHooks } from "@/lib/process/lifecycle";

/**
 * Checks what must hold in production, makes a graceful stop flush the usage counts that
 * verification coalesces in memory, and hands the verify route to Keyward's server's fast path.
 */
export function onServerStart(): void {
  if (process.env.NODE_ENV === "production" && !process.env.AUTH_SECRET) {
    throw new Error("AUTH_SECRET is required in production (npm start generates one; see README).");
  }
  onShutdown("usage flush", () => usageRecorder.flush());
  // The key cache's LISTEN connection: readiness waits for it, verification should not.
  startKeyStore();
  // Figures the metrics endpoint reads at each scrape (only when someone may scrape them).
  if (metricsOn())
    provideMetricSources({
      keyCache: keyCacheFigures,
      usage: () => ({ pending: usageRecorder.size }),
      database: () => readDatabaseFigures(),
    });
  // Rate limit counters in Redis: connect now, not at the first rate-limited verification.
  if (env.REDIS_URL) {
    rateCounter();
    onShutdown("redis", closeRateCounter);
  }
  // Key events become notices and webhook deliveries in the background, in every instance.
  const dispatcher = startDispatcher();
  onShutdown("event dispatcher", () => dispatcher.stop());
  // Not under `npm run dev`: start-up code runs once, and edits to verification must reach it.
  if (behindFrontServer() && env.VERIFY_FAST_PATH && process.env.NODE_ENV === "production") {
    provideFastRoute("POST", VERIFY_PATH, answerVerify);
    log.info("verify answered by the fast path (VERIFY_FAST_PATH=false hands it to Next's router)");
  }
  // Keyward's server (server/main.ts) owns the signals and runs the hooks. Under a bare
  // `next start` with NEXT_MANUAL_SIG_HANDLE set, Next leaves signals to the app: do it here.
  if (behindFrontServer() || !process.env.NEXT_MANUAL_SIG_HANDLE) return;
  let stopping = false;
  const stop = () => {
    if (stopping) return; // a repeated signal must not cut the flush short
    stopping = true;
    setTimeout(() => process.exit(1), 5000).unref();
    void runShutdownHooks().finally(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
