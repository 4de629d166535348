// GET /api/ready – readiness: 200 when the database, its migrations, the key cache's LISTEN
// connection and Redis (where configured) all answer; 503 naming the parts that do not
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { checkReadiness } from "@/lib/health/readiness";
import * as declared from "./declaration";

export const GET = withApi(declared.GET, async () => {
  const readiness = await checkReadiness();
  return json(readiness, { status: readiness.ready ? 200 : 503 });
});
