// Start-up data: the first admin from ADMIN_EMAIL/ADMIN_PASSWORD, and the demo data on an empty
// embedded database. Fails loudly; refuses the demo in production unless told.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../../lib/db/generated/client";
import { hashPassword } from "../../lib/auth/password";
import { seedDemo, type DemoSeed } from "./demo";

export const DEFAULT_DEMO_ADMIN = { email: "admin@keyward.local", password: "keyward-admin" };

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
}

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
          : DEFAULT_DEMO_ADMIN;
      return { demo: await seedDemo(db, admin), adminCreated: admin.email };
    }
    if (options.adminEmail && options.adminPassword) {
      const email = options.adminEmail.toLowerCase();
      const existing = await db.user.findUnique({ where: { email }, select: { id: true } });
      if (!existing) {
        await db.user.create({
          data: { email, name: "Admin", role: "ADMIN", passwordHash: await hashPassword(options.adminPassword) },
        });
        return { demo: null, adminCreated: email };
      }
    }
    return { demo: null, adminCreated: null };
  } finally {
    await db.$disconnect();
  }
}
