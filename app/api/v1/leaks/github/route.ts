// POST /api/v1/leaks/github – GitHub secret scanning reports keys it found in public (partner
// contract: signed body, feedback array); 404 unless SECRET_SCANNING_PUBLIC_KEYS is set
import { json, problem, toKeywardError } from "@/lib/api/respond";
import { readBody } from "@/lib/api/read-body";
import { KeywardError } from "@/lib/errors";
import { handleGitHubMatches, verifyGitHubSignature } from "@/lib/leaks/github-scanning";
import { declaredRoute } from "@/lib/routes/with-api";
import * as declared from "./declaration";

export const POST = declaredRoute(declared.POST, async function POST(req: Request): Promise<Response> {
  try {
    const raw = await readBody(req, declared.POST.maxBodyBytes);
    await verifyGitHubSignature(
      raw,
      req.headers.get("github-public-key-identifier"),
      req.headers.get("github-public-key-signature"),
    );
    let body: unknown;
    try {
      body = JSON.parse(raw.toString("utf8"));
    } catch {
      throw new KeywardError("BAD_REQUEST", "The body is not valid JSON.");
    }
    return json(await handleGitHubMatches(body));
  } catch (error) {
    return problem(toKeywardError(error, "POST /api/v1/leaks/github"));
  }
});
