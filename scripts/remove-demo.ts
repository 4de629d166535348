// npm run db:remove-demo – remove the quick start's demo accounts (admin@keyward.local and
// demo@keyward.local), their keys and their demo team, before serving in production: their
// passwords were printed to a terminal. A production start refuses to serve until this has run.
// Uses the same database as npm start (DATABASE_URL or the embedded one, running or not).
import { openScriptDatabase } from "./lib/script-database";

async function main(): Promise<void> {
  const db = await openScriptDatabase();
  try {
    const { removeDemoAccounts } = await import("../lib/users/remove-demo");
    const removed = await removeDemoAccounts();
    if (removed.accounts.length === 0) {
      console.log("No demo accounts here: nothing to remove.");
      return;
    }
    console.log(
      `Removed the demo accounts ${removed.accounts.join(", ")}${removed.teams.length ? ` and the team ${removed.teams.join(", ")}` : ""}; ${removed.revokedKeys} key(s) revoked (they answer REVOKED until purged).`,
    );
    if (db.running)
      console.log(
        "The running Keyward may answer from its cache for those keys for up to KEY_CACHE_TTL_MS (30 s by default).",
      );
    const { prisma } = await import("../lib/db/client");
    if ((await prisma.user.count({ where: { role: "ADMIN", deletedAt: null } })) === 0) {
      console.log(
        "No admin is left: make one with `npm run user:admin -- you@example.com` (it works while Keyward runs).",
      );
    }
  } finally {
    const { prisma } = await import("../lib/db/client");
    await prisma.$disconnect();
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(`Could not remove the demo accounts: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
