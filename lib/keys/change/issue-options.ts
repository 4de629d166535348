import "server-only";
import { env } from "@/lib/env";
import { EXPIRY_PRESET_DAYS } from "../expiry-policy";

/** What the issue dialog may offer, from the admin's configuration. */
export function issueOptions() {
  return {
    scopes: env.KEY_SCOPES,
    presets: [...EXPIRY_PRESET_DAYS],
    allowNever: env.KEY_ALLOW_NEVER_EXPIRES,
    maxLifetimeDays: env.KEY_MAX_LIFETIME_DAYS,
  };
}
