// npm run demo:credentials – the demo accounts' passwords again, for whoever lost the start
// banner: read from the data folder, where npm start kept them when it made the accounts. While
// the embedded database is free (Keyward stopped), each is checked against the account, so the
// answer says which still work.
import { resolve } from "node:path";
import nextEnv from "@next/env";
import { verifyPassword } from "../lib/auth/password";
import { openClient } from "../prisma/seed/bootstrap";
import { readDemoCredentials } from "./lib/demo-credentials";

const root = resolve(import.meta.dirname, "..");

async function stillWorks(
  emailsAndPasswords: { email: string; password: string }[],
): Promise<Map<string, boolean> | null> {
  if (process.env.DATABASE_URL) return null;
  const { startEmbeddedDatabase } = await import("../lib/db/embedded");
  let db: Awaited<ReturnType<typeof startEmbeddedDatabase>>;
  try {
    db = await startEmbeddedDatabase({ dataDir: resolve(root, process.env.KEYWARD_DATA_DIR ?? ".data", "pglite") });
  } catch {
    return null; // Keyward is running and holds it: nothing to check against.
  }
  const client = openClient(db.url);
  try {
    const result = new Map<string, boolean>();
    for (const { email, password } of emailsAndPasswords) {
      const user = await client.user.findUnique({ where: { email }, select: { passwordHash: true } });
      result.set(email, Boolean(user?.passwordHash && (await verifyPassword(password, user.passwordHash))));
    }
    return result;
  } finally {
    await client.$disconnect();
    await db.close();
  }
}

async function main(): Promise<number> {
  nextEnv.loadEnvConfig(resolve(process.env.KEYWARD_CONFIG_DIR ?? root), false, { info() {}, error: console.error });
  const credentials = readDemoCredentials(resolve(root, process.env.KEYWARD_DATA_DIR ?? ".data"));
  if (!credentials) {
    console.log(
      "No demo accounts were made in this data folder (they are made on the first npm start on the embedded database).",
    );
    return 1;
  }
  const checked = await stillWorks(credentials);
  console.log("Demo accounts, as npm start made them:");
  for (const c of credentials) {
    const state =
      checked === null ? "" : checked.get(c.email) ? "  (works)" : "  (changed since: this password no longer works)";
    console.log(`  ${c.label.padEnd(10)} ${c.email} / ${c.password}${state}`);
  }
  if (checked === null)
    console.log("(Keyward is running, so they were not checked: a password changed since no longer works.)");
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
