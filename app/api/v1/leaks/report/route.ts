// POST /api/v1/leaks/report – anyone reports a leaked key ({key, url?}); always 202, so it
// cannot be used to learn whether a key exists; rate-limited per client
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { reportLeak } from "@/lib/leaks/report-leak";
import * as declared from "./declaration";

export const POST = withApi(declared.POST, async ({ body, actor }) => {
  await reportLeak(body, actor.ip);
  return json(
    { received: true, message: "Thank you. If this is a key of this site, it has been disabled and its owner told." },
    { status: 202 },
  );
});
