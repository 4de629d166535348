import "server-only";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { prisma } from "@/lib/db/client";
import { notFound } from "@/lib/errors";

export interface PasskeyView {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  /** singleDevice, or multiDevice (synced between the owner's devices). */
  deviceType: string;
  backedUp: boolean;
  transports: string[];
}

export const PASSKEY_VIEW = {
  id: true,
  name: true,
  createdAt: true,
  lastUsedAt: true,
  deviceType: true,
  backedUp: true,
  transports: true,
} as const;

type Row = Omit<PasskeyView, "createdAt" | "lastUsedAt"> & { createdAt: Date; lastUsedAt: Date | null };

export const toPasskeyView = (row: Row): PasskeyView => ({
  ...row,
  createdAt: row.createdAt.toISOString(),
  lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
});

export async function listPasskeys(userId: string): Promise<PasskeyView[]> {
  const rows = await prisma.passkey.findMany({
    where: { userId },
    select: PASSKEY_VIEW,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return rows.map(toPasskeyView);
}

/** Someone else's passkey, or an id that is none, is a 404 like a missing one. */
export async function renamePasskey(userId: string, id: string, name: string, actor: Actor): Promise<PasskeyView> {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.passkey.updateMany({ where: { id, userId }, data: { name } });
    if (count !== 1) throw notFound("No such passkey.");
    await recordAudit(tx, actor, "user.passkey_renamed", null, { passkeyId: id, name });
    return toPasskeyView(await tx.passkey.findUniqueOrThrow({ where: { id }, select: PASSKEY_VIEW }));
  });
}

export async function removePasskey(userId: string, id: string, actor: Actor): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const removed = await tx.passkey.deleteMany({ where: { id, userId } });
    if (removed.count !== 1) throw notFound("No such passkey.");
    await recordAudit(tx, actor, "user.passkey_removed", null, { passkeyId: id });
  });
}
