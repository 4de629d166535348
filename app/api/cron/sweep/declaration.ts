import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";

export const GET = declareRoute({
  access: "cron",
  operationId: "sweepGet",
  summary: "Run the sweep (Vercel Cron sends GET)",
  description:
    "Blacklists expired keys, ends grace periods, records reminders and notices, purges long-dead keys. Safe to run twice at once.",
  tag: "Sweep",
  responses: R.ok(R.ZSweepSummary, "The run's summary"),
});

export const POST = declareRoute({
  access: "cron",
  operationId: "sweepPost",
  summary: "Run the sweep (crontab, curl, Kubernetes jobs)",
  description: "The same as GET.",
  tag: "Sweep",
  responses: R.ok(R.ZSweepSummary, "The run's summary"),
});
