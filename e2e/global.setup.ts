// Signs the demo user in once and saves the session for every test that acts as them.
import { test as setup } from "@playwright/test";
import { openClient, runDemoSeed } from "../prisma/seed/bootstrap";
import { assertLocalDatabase, DEMO } from "./support";

setup("sign in as the demo user", async ({ page }) => {
  const db = openClient(assertLocalDatabase(process.env.DATABASE_URL));
  try {
    if (!(await db.user.findUnique({ where: { email: DEMO.email } }))) {
      // The quick start's demo, made the same way (through lib/, in a process of its own).
      await runDemoSeed(
        { admin: { email: "admin@keyward.local", password: `admin-${DEMO.password}` }, demoPassword: DEMO.password },
        process.env,
      );
    }
  } finally {
    await db.$disconnect();
  }
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(DEMO.email);
  await page.getByLabel("Password").fill(DEMO.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL("**/keys");
  await page.context().storageState({ path: "e2e/.auth/demo.json" });
});
