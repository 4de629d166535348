import "server-only";
import { prisma } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { KEY_VIEW_SELECT, type KeyRow } from "./key-view";

/**
 * One of the user's own keys. Someone else's key answers 404 exactly like a missing one, so
 * ids cannot be probed; admins act on other people's keys only through the admin functions.
 */
export async function getOwnKeyOrThrow(userId: string, id: string): Promise<KeyRow> {
  const key = await prisma.apiKey.findFirst({ where: { id, userId }, select: KEY_VIEW_SELECT });
  if (!key) throw notFound("No such key.");
  return key;
}

/** Whether the key exists and is the user's (one primary-key probe). */
export async function ownsKey(userId: string, id: string): Promise<boolean> {
  return (await prisma.apiKey.count({ where: { id, userId } })) === 1;
}
