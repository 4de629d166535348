// npm run user:admin -- <email> – make an existing account an admin (the first admin of a site
// started without ADMIN_EMAIL: sign up, verify the address, then run this on the server).
// Reads DATABASE_URL like npm start does (.env files included); the embedded database must not
// be running (stop npm start first: it holds the data folder).
import { resolve } from "node:path";
import nextEnv from "@next/env";
import { openClient } from "../prisma/seed/bootstrap";

const root = resolve(import.meta.dirname, "..");

async function main(): Promise<void> {
  nextEnv.loadEnvConfig(resolve(process.env.KEYWARD_CONFIG_DIR ?? root), false, { info() {}, error: console.error });
  const email = process.argv[2]?.trim().toLowerCase();
  if (!email) throw new Error("Usage: npm run user:admin -- <email>");
  let url = process.env.DATABASE_URL;
  let close = async () => undefined as void;
  if (!url) {
    const { startEmbeddedDatabase } = await import("../lib/db/embedded");
    const db = await startEmbeddedDatabase({ dataDir: resolve(root, process.env.KEYWARD_DATA_DIR ?? ".data", "pglite") });
    url = db.url;
    close = () => db.close();
  }
  const db = openClient(url);
  try {
    const user = await db.user.findUnique({ where: { email }, select: { id: true, role: true, emailVerifiedAt: true } });
    if (!user) throw new Error(`No account has the address ${email}. Sign up first.`);
    if (user.role === "ADMIN") {
      console.log(`${email} is already an admin.`);
      return;
    }
    await db.$transaction([
      // Their sessions end: the role they carry is stale. The address counts as verified: the
      // operator vouches for it by running this.
      db.user.update({
        where: { id: user.id },
        data: { role: "ADMIN", sessionVersion: { increment: 1 }, emailVerifiedAt: user.emailVerifiedAt ?? new Date() },
      }),
      db.auditEvent.create({ data: { actorLabel: "npm run user:admin", action: "user.role_changed", detail: { userId: user.id, email, role: "ADMIN" } } }),
    ]);
    console.log(`${email} is now an admin. They sign in again to get admin pages.`);
  } finally {
    await db.$disconnect();
    await close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
