import "server-only";
import { parseEnv } from "./env-schema.mjs";

export type Env = ReturnType<typeof parseEnv>;

/** The validated configuration; read once per process. */
export const env: Env = parseEnv(process.env);
