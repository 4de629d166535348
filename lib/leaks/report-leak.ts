import "server-only";
import { z } from "zod";
import { zText } from "@/lib/api/text";
import { markLeaked } from "@/lib/keys/change/mark-leaked";

// Anyone who finds a leaked key can report it, as with GitHub's public token revocation: no
// sign-in, and the same answer whether or not the key exists, so this cannot be used to test keys.

export const ZLeakReport = z.strictObject({
  key: zText().trim().max(512),
  url: zText().trim().max(2000).optional(),
});
export type TLeakReport = z.infer<typeof ZLeakReport>;

export async function reportLeak(report: TLeakReport, ip: string | null): Promise<void> {
  await markLeaked(
    [{ token: report.key, url: report.url ?? null }],
    { id: null, label: "public leak report", ip },
    "a public leak report",
  );
}
