import "server-only";
import type { Tx } from "./client";

/** NOTIFY channel on which a key owner's display name change is announced (payload: the id). */
export const OWNER_CHANGED_CHANNEL = "keyward_owner_changed";

/**
 * Announces, inside the transaction that makes it, that a person's or team's name changed:
 * every instance drops its cached name for verify answers once it commits.
 */
export async function announceOwnerChange(tx: Tx, ownerId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${OWNER_CHANGED_CHANNEL}, ${ownerId})`;
}
