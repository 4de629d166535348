// The quick start's demo data: an admin, a demo user, and keys in every state.
import type { PrismaClient } from "../../lib/db/generated/client";
import { seedKey, seedUser } from "./factories";

const DAY = 86_400_000;

export interface DemoSeed {
  admin: { email: string; password: string };
  demo: { email: string; password: string };
  /** Plaintexts are printed once by the start script and never stored. */
  keys: { state: string; name: string; plaintext: string }[];
}

export interface DemoAccounts {
  admin: { email: string; password: string };
  /** The demo user's password (demo@keyward.local). */
  demoPassword: string;
}

export async function seedDemo(db: PrismaClient, { admin, demoPassword }: DemoAccounts): Promise<DemoSeed> {
  return db.$transaction(async (tx) => {
    await seedUser(tx, { email: admin.email, password: admin.password, name: "Admin", role: "ADMIN" });
    const demo = await seedUser(tx, { email: "demo@keyward.local", password: demoPassword, name: "Demo User" });
    const now = Date.now();
    const at = (days: number) => new Date(now + days * DAY);
    const key = (name: string, extra: Omit<Parameters<typeof seedKey>[1], "userId" | "name">) =>
      seedKey(tx, { userId: demo.id, name, ...extra });

    const active = await key("billing-worker (prod)", { scopes: ["read", "write"], createdAt: at(-10), expiresAt: at(80), lastUsedAt: at(-0.1) });
    const expiring = await key("nightly-export", { createdAt: at(-28), expiresAt: at(2) });
    const expired = await key("old-dashboard", { createdAt: at(-31), expiresAt: new Date(now - 3600_000) });
    const leaked = await key("laptop-script", {
      createdAt: at(-5),
      expiresAt: at(25),
      blacklist: { reason: "LEAKED", at: at(-1), actorLabel: admin.email, note: "Found in a public gist" },
    });
    const revoked = await key("staging-ci", { createdAt: at(-20), expiresAt: at(10), blacklist: { reason: "REVOKED", at: at(-2), actorLabel: demo.email } });
    const replacement = await key("search-indexer", { scopes: ["read"], createdAt: at(0), expiresAt: at(90) });
    const rotating = await key("search-indexer", { scopes: ["read"], createdAt: at(-85), expiresAt: at(5), graceEndsAt: at(1), replacedById: replacement.id });

    return {
      admin,
      demo: { email: demo.email, password: demo.password },
      keys: [
        { state: "active", name: active.name, plaintext: active.plaintext },
        { state: "expiring in 2 days", name: expiring.name, plaintext: expiring.plaintext },
        { state: "expired, not yet swept", name: expired.name, plaintext: expired.plaintext },
        { state: "blacklisted (leaked)", name: leaked.name, plaintext: leaked.plaintext },
        { state: "revoked", name: revoked.name, plaintext: revoked.plaintext },
        { state: "rotated, in grace for 1 day", name: rotating.name, plaintext: rotating.plaintext },
        { state: "active (replacement)", name: replacement.name, plaintext: replacement.plaintext },
      ],
    };
    // Two password hashes and a dozen keys: past Prisma's 5 s default on a busy 2-core machine.
  }, { timeout: 30_000 });
}
