// Start-up data: the first admin from ADMIN_EMAIL/ADMIN_PASSWORD, and demo data when asked for.
// Fails loudly.
import { randomBytes } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../../lib/db/generated/client";
import { hashPassword } from "../../lib/auth/password";
import { seedDemo, type DemoSeed } from "./demo";

export interface BootstrapOptions {
  databaseUrl: string;
  /** Seed demo users and keys when the database has no users. */
  demo: boolean;
  adminEmail?: string;
  adminPassword?: string;
}

export interface BootstrapResult {
  demo: DemoSeed | null;
  adminCreated: string | null;
  /** No account is an admin: the banner says how to make the first one. */
  noAdmin: boolean;
}

/**
 * Demo data only where it cannot hurt: by default on the embedded database outside production,
 * and not when the operator names a real admin (ADMIN_EMAIL). SEED_DEMO=true|false decides
 * otherwise.
 */
export function wantsDemo(env: NodeJS.ProcessEnv, embedded: boolean): boolean {
  if (env.SEED_DEMO) return ["true", "1", "yes"].includes(env.SEED_DEMO);
  return embedded && env.NODE_ENV !== "production" && !env.ADMIN_EMAIL;
}

/** A password for a demo account: random, printed once, never a constant anyone could know. */
export const demoPassword = () => randomBytes(12).toString("base64url");

export function openClient(databaseUrl: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: 2 }) });
}

export async function bootstrapData(options: BootstrapOptions): Promise<BootstrapResult> {
  const db = openClient(options.databaseUrl);
  try {
    const empty = (await db.user.count()) === 0;
    if (options.demo && empty) {
      const admin =
        options.adminEmail && options.adminPassword
          ? { email: options.adminEmail.toLowerCase(), password: options.adminPassword }
          : { email: "admin@keyward.local", password: demoPassword() };
      return { demo: await seedDemo(db, { admin, demoPassword: demoPassword() }), adminCreated: admin.email, noAdmin: false };
    }
    if (options.adminEmail && options.adminPassword) {
      const email = options.adminEmail.toLowerCase();
      const existing = await db.user.findUnique({ where: { email }, select: { id: true } });
      if (!existing) {
        // The operator names this address: it counts as verified.
        await db.user.create({
          data: { email, name: "Admin", role: "ADMIN", emailVerifiedAt: new Date(), passwordHash: await hashPassword(options.adminPassword) },
        });
        return { demo: null, adminCreated: email, noAdmin: false };
      }
    }
    return { demo: null, adminCreated: null, noAdmin: (await db.user.count({ where: { role: "ADMIN" } })) === 0 };
  } finally {
    await db.$disconnect();
  }
}
