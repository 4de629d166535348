// @keyward/client: verify API keys, gate routes, manage keys and tokens. Middleware for Express
// (`@keyward/client/express`), Fastify (`/fastify`) and Next.js route handlers (`/next`).
export { KeywardClient, type KeywardClientOptions, type VerifyOptions } from "./client.js";
export { KeywardApiError, KeywardConnectionError, type FieldError, type Problem, type ProblemCode } from "./errors.js";
export {
  checkRequest,
  presentedKey,
  verdictOf,
  type GateAnswer,
  type GateOptions,
  type GateOutcome,
  type HeaderReader,
} from "./gate.js";
export type { ClientOptions } from "./http.js";
export { DEFAULT_VERIFY_CACHE, VerdictCache, type VerifyCacheOptions } from "./verdict-cache.js";
export type * from "./types.js";
export type { components, operations, paths } from "./generated/openapi.js";
