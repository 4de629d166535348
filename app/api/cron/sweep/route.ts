// GET/POST /api/cron/sweep – the scheduled sweep (Authorization: Bearer <CRON_SECRET>)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/api/with-api";
import { env } from "@/lib/env";
import { authorizeCron } from "@/lib/sweep/authorize-cron";
import { runSweep } from "@/lib/sweep/run-sweep";

const sweep = withApi({ access: "public" }, async ({ req }) => {
  authorizeCron(req.headers.get("authorization"), env.CRON_SECRET);
  const trigger = req.headers.get("user-agent")?.includes("vercel-cron") ? "vercel-cron" : "cron";
  return json(await runSweep({ trigger }));
});

// Vercel Cron sends GET; crontab/curl and Kubernetes jobs usually POST. Both do the same.
export const GET = sweep;
export const POST = sweep;
// The sweep can take a while on large tables; never cache or prerender it.
export const dynamic = "force-dynamic";
export const maxDuration = 300;
