// GET /api/v1/me/reauth – until when this session counts as recently authenticated, and how it
// can re-authenticate; POST /api/v1/me/reauth – prove it is you again (password or a code)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { unstable_update } from "@/lib/auth";
import { mintProof } from "@/lib/second-factor/proof";
import { reauthenticate, reauthOptions, RECENT_AUTH_MS } from "@/lib/auth/recent-auth";
import * as declared from "./declaration";

export const GET = withApi(declared.GET, async ({ user, authAt }) => json(await reauthOptions(user.id, authAt)));

export const POST = withApi(declared.POST, async ({ user, body, actor }) => {
  await reauthenticate(user, body, actor);
  // The session's cookie is issued again with authAt = now, on the proof only the server makes.
  const at = Date.now();
  await unstable_update({ reauth: mintProof("reauth", user.id, at) } as Parameters<typeof unstable_update>[0]);
  return json({ recentAuthUntil: new Date(at + RECENT_AUTH_MS).toISOString() });
});
