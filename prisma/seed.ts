// npm run db:seed – demo data on an empty database (refuses production unless --force).
import { bootstrapData } from "./seed/bootstrap";

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set (npm start seeds the embedded database by itself).");
  if (process.env.NODE_ENV === "production" && !process.argv.includes("--force")) {
    throw new Error("Refusing to seed demo data in production. Pass --force if you really mean it.");
  }
  const result = await bootstrapData({
    databaseUrl: url,
    demo: true,
    adminEmail: process.env.ADMIN_EMAIL,
    adminPassword: process.env.ADMIN_PASSWORD,
  });
  if (!result.demo) {
    console.log("The database already has users: nothing seeded.");
    return;
  }
  console.log(
    `Seeded admin ${result.demo.admin.email} (password ${result.demo.admin.password}) and demo user ${result.demo.demo.email} (password ${result.demo.demo.password}).`,
  );
  for (const key of result.demo.keys) console.log(`  ${key.state.padEnd(28)} ${key.name.padEnd(22)} ${key.plaintext}`);
}

main().catch((error) => {
  console.error(`Seed failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
