import "server-only";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { onEventsRecorded } from "@/lib/events/events-recorded";
import { projectPendingNotices } from "@/lib/notify/notices-from-events";
import { deliverDueWebhooks, fanOutEvents } from "@/lib/webhooks/deliver";
import { log } from "@/lib/log/logger";

// Runs in every instance, in the background: turns key events recorded by requests into owners'
// notices and webhook deliveries, and sends the deliveries that are due. It runs at once when this
// process records events (a nudge), and every couple of seconds for the rest: events recorded by
// other instances, retries coming due, work left by a process that died. Instances share the work
// through SKIP LOCKED; nothing here is in the path of verification, revocation or the sweep.

const TICK_MS = 2000;
/** Database errors are logged at most this often while they last (an outage is loud enough). */
const QUIET_MS = 60_000;

export interface Dispatcher {
  /** Runs a round now (or right after the current one) and resolves when it is done. */
  runNow(): Promise<void>;
  stop(): Promise<void>;
}

export function startDispatcher(tickMs = TICK_MS): Dispatcher {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let lastComplaint = 0;

  const round = async () => {
    while ((await projectPendingNotices()) > 0 && !stopped);
    while ((await fanOutEvents()) > 0 && !stopped);
    while (!stopped) {
      const { sent, failed } = await deliverDueWebhooks();
      if (sent + failed === 0) break;
    }
  };

  const run = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await round();
        } catch (error) {
          if (Date.now() - lastComplaint > QUIET_MS || !isDatabaseUnavailable(error)) {
            lastComplaint = Date.now();
            if (isDatabaseUnavailable(error)) log.error("dispatching events failed (database unavailable); retrying");
            else log.error({ err: error }, "dispatching events failed; retrying");
          }
        }
      } while (again && !stopped);
      running = null;
    })();
    return running;
  };

  const unsubscribe = onEventsRecorded(() => void run());
  const timer = setInterval(() => void run(), tickMs);
  timer.unref();
  return {
    runNow: run,
    async stop() {
      stopped = true;
      clearInterval(timer);
      unsubscribe();
      await running;
    },
  };
}
