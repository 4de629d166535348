import "server-only";
import type { Tx } from "@/lib/db/client";
import { maskKey } from "@/lib/keys/format";

/**
 * Tells a key's owner that an admin blacklisted it, in the admin's transaction (so the notice
 * exists exactly when the blacklisting does). The owner's email preference decides whether it
 * is also mailed by the next sweep.
 */
export async function recordBlacklistNotice(tx: Tx, keyId: string, reason: string, note: string | null): Promise<void> {
  const key = await tx.apiKey.findUniqueOrThrow({
    where: { id: keyId },
    select: { name: true, prefix: true, last4: true, expiresAt: true, user: { select: { id: true, emailBlacklisted: true, emailVerifiedAt: true } } },
  });
  await tx.notification.createMany({
    data: {
      userId: key.user.id,
      kind: "BLACKLISTED",
      keyId,
      keyName: key.name,
      keyMasked: maskKey(key.prefix, key.last4),
      keyExpiresAt: key.expiresAt,
      reason,
      note,
      dedupeKey: `blacklisted:${keyId}:${reason}`,
      // Never mail an address nobody has proved is theirs: the notice still shows in the app.
      emailStatus: key.user.emailBlacklisted && key.user.emailVerifiedAt ? "PENDING" : "SKIPPED",
    },
    skipDuplicates: true,
  });
}
