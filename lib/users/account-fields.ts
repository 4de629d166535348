// The fields people type about their own account, one rule each wherever they are typed: sign-up,
// changing a password, setting one from a reset link.
import { z } from "zod";
import { zText } from "@/lib/api/text";

/** An address as accounts are keyed: lower-cased. */
export const ZEmailAddress = z
  .email("Enter a valid email address")
  .max(254)
  .transform((e) => e.toLowerCase());

export const ZNewPassword = zText().min(8, "Use at least 8 characters").max(200);
