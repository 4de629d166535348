// POST /api/v1/keys/verify – external services check a key: 200 with { valid, code, … }.
// Behind Keyward's own server (`npm start`) this URL is answered by its fast path, which runs the
// same answerVerify without Next's router; this handler serves `next dev` and platforms that run
// Next by itself.
import { plainRoute } from "@/lib/api/with-api";
import { answerVerify } from "@/lib/keys/verify-endpoint";
import { ZVerifyRequest } from "@/lib/keys/verify-key";

export const POST = plainRoute({ access: "public", body: ZVerifyRequest }, answerVerify);
