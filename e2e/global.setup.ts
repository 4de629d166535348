// Signs the demo user in once and saves the session for every test that acts as them.
import { test as setup } from "@playwright/test";
import { openClient } from "../prisma/seed/bootstrap";
import { seedDemo } from "../prisma/seed/demo";
import { assertLocalDatabase, DEMO } from "./support";

setup("sign in as the demo user", async ({ page }) => {
  const db = openClient(assertLocalDatabase(process.env.DATABASE_URL));
  try {
    if (!(await db.user.findUnique({ where: { email: DEMO.email } }))) {
      await seedDemo(db, { admin: { email: "admin@keyward.local", password: `admin-${DEMO.password}` }, demoPassword: DEMO.password });
    }
  } finally {
    await db.$disconnect();
  }
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(DEMO.email);
  await page.getByLabel("Password").fill(DEMO.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/keys");
  await page.context().storageState({ path: "e2e/.auth/demo.json" });
});
