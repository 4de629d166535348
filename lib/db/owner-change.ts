import "server-only";
import type { Tx } from "./client";

/** NOTIFY channel on which a key owner's display name change is announced (payload: the id). */
export const OWNER_CHANGED_CHANNEL = "keyward_owner_changed";

/**
 * NOTIFY channel on which a change to a key (or API token) is announced (payload: its id): every
 * instance's cache drops it (lib/keys/check/key-change-listener.ts).
 */
export const KEY_CHANGED_CHANNEL = "keyward_key_changed";

type Forget = (ownerId: string) => void;
const KEY = Symbol.for("keyward.owner-change");
/** What this process forgets about an owner once a change commits (the key store's owner names). */
const forgetters: Set<Forget> = ((globalThis as { [KEY]?: Set<Forget> })[KEY] ??= new Set());

/**
 * Announces, inside the transaction that makes it, that a person's or team's name changed:
 * every instance listening (KEY_CACHE_SYNC=notify) drops its cached name once it commits.
 */
export async function announceOwnerChange(tx: Tx, ownerId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${OWNER_CHANGED_CHANNEL}, ${ownerId})`;
}

/** After the change committed: this instance forgets at once (all that KEY_CACHE_SYNC=local has). */
export function forgetOwner(ownerId: string): void {
  for (const forget of forgetters) forget(ownerId);
}

/** Registers what forgetOwner() clears (called once per process by the key store). */
export function onOwnerForgotten(forget: Forget): void {
  forgetters.add(forget);
}
