import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

// Run through `npm test` / `npm run test:e2e`: scripts/test.ts starts `next start` on a fresh
// database and passes its address here.
const baseURL = process.env.KEYWARD_TEST_BASE_URL;
if (!baseURL) throw new Error("KEYWARD_TEST_BASE_URL is not set: run the e2e tests with `npm run test:e2e`.");

/** The browser: $CHROMIUM_PATH, else Debian's chromium, else Playwright's own download. */
function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined;
}

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results/e2e",
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  retries: 0,
  timeout: 60_000, // a 2-core CI machine doing scrypt sign-ins and a page build can be slow
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromiumPath(),
      // Keep Chromium from calling home on a machine without internet.
      args: ["--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
    },
  },
  projects: [
    { name: "setup", testMatch: /global\.setup\.ts/ },
    {
      name: "chromium",
      use: { ...devices["Desktop Chrome"], storageState: "e2e/.auth/demo.json" },
      dependencies: ["setup"],
    },
  ],
});
