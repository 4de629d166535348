import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZGitHubMatches } from "@/lib/leaks/github-scanning";

export const POST = declareRoute({
  access: "github",
  body: ZGitHubMatches,
  bodyParsedByHandler: true,
  /** A batch of a thousand matches is ~200 KB. */
  maxBodyBytes: 1024 * 1024,
  operationId: "githubSecretScanning",
  summary: "GitHub secret scanning partner endpoint",
  description:
    "Signed by GitHub (ECDSA P-256 over the raw body, headers Github-Public-Key-Identifier and Github-Public-Key-Signature). 404 unless SECRET_SCANNING_PUBLIC_KEYS is set; 503 with Retry-After while GitHub's key document cannot be loaded.",
  tag: "Leaked keys",
  responses: R.ok(R.ZGitHubFeedback, "GitHub's feedback array"),
  errors: [400, 404, 413, 422],
  examples: { body: { token: ["kw_x"], type: ["keyward_api_key"], url: ["https://x"] } },
});
