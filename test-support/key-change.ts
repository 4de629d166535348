// Tests that edit a key row directly (to move a grace period into the past, say) must tell the
// app servers' key caches, exactly as Keyward's own writes do (NOTIFY keyward_key_changed).
import type { PrismaClient } from "../lib/db/generated/client";

export async function announceKeyChange(db: Pick<PrismaClient, "$executeRaw">, keyId: string): Promise<void> {
  await db.$executeRaw`SELECT pg_notify('keyward_key_changed', ${keyId})`;
  await new Promise((resolve) => setTimeout(resolve, 100)); // delivery is asynchronous
}
