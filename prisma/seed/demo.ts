// The quick start's demo data: an admin, a demo user, keys in every state, and a team (the demo
// user owns it, the admin is its admin) with team keys in several states.
import type { PrismaClient } from "../../lib/db/generated/client";
import { seedKey, seedTeam, seedUser } from "./factories";

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
  // All or nothing; password hashing (scrypt, 32 MiB) runs inside, which on a busy machine takes
  // longer than the default 5 s transaction timeout.
  return db.$transaction(async (tx) => {
    const adminUser = await seedUser(tx, { email: admin.email, password: admin.password, name: "Admin", role: "ADMIN" });
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

    const team = await seedTeam(tx, { name: "Platform", slug: "platform", owner: demo.id, members: [{ userId: adminUser.id, role: "ADMIN" }] });
    const teamKey = (name: string, issuedById: string, extra: Omit<Parameters<typeof seedKey>[1], "userId" | "teamId" | "name">) =>
      seedKey(tx, { teamId: team.id, issuedById, name, ...extra });
    const teamActive = await teamKey("payments-api (prod)", demo.id, { scopes: ["read", "write"], createdAt: at(-12), expiresAt: at(170), lastUsedAt: at(-0.02) });
    const teamExpiring = await teamKey("webhook-relay", adminUser.id, { createdAt: at(-26), expiresAt: at(4) });
    const teamRevoked = await teamKey("old-importer", adminUser.id, { createdAt: at(-40), expiresAt: at(20), blacklist: { reason: "REVOKED", at: at(-3), actorLabel: admin.email } });

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
        { state: "team Platform, active", name: teamActive.name, plaintext: teamActive.plaintext },
        { state: "team Platform, expiring in 4 days", name: teamExpiring.name, plaintext: teamExpiring.plaintext },
        { state: "team Platform, revoked", name: teamRevoked.name, plaintext: teamRevoked.plaintext },
      ],
    };
  }, { timeout: 60_000 });
}
