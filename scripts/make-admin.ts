// npm run user:admin -- <email> [--password-link] – make an account a site admin, from the
// server's console: the first admin of a site started without ADMIN_EMAIL, or another one. Works
// while Keyward runs, on its embedded database too (through the socket of the running server).
// The address counts as verified (you vouch for it). An address without an account gets one,
// and a link to choose its password is printed here; --password-link prints one for an account
// that has a password too (its owner lost it, and no email reaches them).
import { openScriptDatabase } from "./lib/script-database";

const USAGE = "Usage: npm run user:admin -- <email> [--password-link]";

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const passwordLink = args.includes("--password-link");
  const [address, ...rest] = args.filter((a) => a !== "--password-link");
  if (!address || rest.length) throw new Error(USAGE);
  const db = await openScriptDatabase();
  try {
    const { ZEmailAddress } = await import("../lib/users/account-fields");
    const parsed = ZEmailAddress.safeParse(address.trim());
    if (!parsed.success) throw new Error(`${address} is not an email address. ${USAGE}`);
    const email = parsed.data;
    const { makeAdmin } = await import("../lib/users/make-admin");
    const made = await makeAdmin(email, { passwordLink });
    if (made.created) console.log(`Created ${email} as an admin (address verified).`);
    else if (made.already) console.log(`${email} is already an admin (address verified).`);
    else
      console.log(
        `${email} is now an admin (address verified). Their sessions ended: they sign in again to get the admin pages.`,
      );
    if (made.passwordLink) {
      console.log(
        `\nChoose the password here (works once, for 1 hour; it is shown nowhere else):\n  ${made.passwordLink}\n`,
      );
    }
  } finally {
    const { prisma } = await import("../lib/db/client");
    await prisma.$disconnect();
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
