// GET/POST /api/cron/sweep – the scheduled sweep (Authorization: Bearer <CRON_SECRET>; ?maxSeconds= time budget)
import type { NextRequest } from "next/server";
import { z } from "zod";
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { env } from "@/lib/env";
import { authorizeCron } from "@/lib/sweep/authorize-cron";
import { runSweep } from "@/lib/sweep/run-sweep";
import * as declared from "./declaration";

/** `maxSeconds` overrides SWEEP_MAX_SECONDS for one call; a run stopped by it answers `done: false`. */
const ZSweepQuery = z.strictObject({
  maxSeconds: z.coerce.number().int().min(1).max(3600).optional(),
});

const sweep = async ({ req }: { req: NextRequest }) => {
  authorizeCron(req.headers.get("authorization"), env.CRON_SECRET);
  // Parsed after the secret is checked: a stranger learns nothing from a 422.
  const { maxSeconds } = ZSweepQuery.parse(Object.fromEntries(req.nextUrl.searchParams));
  const trigger = req.headers.get("user-agent")?.includes("vercel-cron") ? "vercel-cron" : "cron";
  return json(await runSweep({ trigger, maxSeconds }));
};

// Vercel Cron sends GET; crontab/curl and Kubernetes jobs usually POST. Both do the same.
export const GET = withApi(declared.GET, sweep);
export const POST = withApi(declared.POST, sweep);
// The sweep can take a while on large tables; never cache or prerender it.
export const dynamic = "force-dynamic";
// The platform's cap (Vercel); keep SWEEP_MAX_SECONDS well below it.
export const maxDuration = 300;
