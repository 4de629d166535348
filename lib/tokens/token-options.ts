import "server-only";
import { ADMIN_SCOPES, API_SCOPES, SCOPE_DESCRIPTIONS } from "@/lib/api/scopes";
import { env } from "@/lib/env";
import { EXPIRY_PRESET_DAYS } from "@/lib/keys/expiry-policy";

/** What the "Make a token" dialog offers: admin scopes only on a site admin's own tokens. */
export function tokenOptions(owner: { type: "user"; role: "USER" | "ADMIN" } | { type: "team" }) {
  const admin = owner.type === "user" && owner.role === "ADMIN";
  return {
    scopes: API_SCOPES.filter((s) => admin || !ADMIN_SCOPES.includes(s)).map((value) => ({
      value,
      description: SCOPE_DESCRIPTIONS[value],
    })),
    presets: [...EXPIRY_PRESET_DAYS],
    maxLifetimeDays: env.API_TOKEN_MAX_DAYS,
    allowNever: env.API_TOKEN_ALLOW_NEVER,
  };
}
