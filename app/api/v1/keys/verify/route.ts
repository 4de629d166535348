// POST /api/v1/keys/verify – external services check a key: 200 with { valid, code, … }.
// Behind Keyward's own server (`npm start`) this URL is answered by its fast path, which runs the
// same answerVerify without Next's router; this handler serves `next dev` and platforms that run
// Next by itself.
import { plainRoute } from "@/lib/routes/with-api";
import { answerVerify } from "@/lib/verify/verify-endpoint";
import * as declared from "./declaration";

export const POST = plainRoute(declared.POST, answerVerify);
