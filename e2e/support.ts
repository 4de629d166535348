// Shared e2e helpers: data through the seed factories (unique per test), sign-in by API where
// the UI is not what is under test, and a guard against pointing the suite at a real database.
import { test as base, expect, type Page } from "@playwright/test";
import { openClient } from "../prisma/seed/bootstrap";
import { seedKey, seedTeam, seedToken, seedUser } from "../prisma/seed/factories";
import type { PrismaClient } from "../lib/db/generated/client";

/** The demo user as the e2e run seeds it (npm start's demo passwords are random). */
export const DEMO = { email: "demo@keyward.local", password: "e2e-demo-password" };

export function assertLocalDatabase(url: string | undefined): string {
  if (!url) throw new Error("DATABASE_URL is not set: run e2e tests with `npm run test:e2e`.");
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(host))
    throw new Error(`Refusing to run e2e tests against ${host}.`);
  return url;
}

export async function signInByApi(page: Page, email: string, password: string): Promise<void> {
  const csrf = await page.request.get("/api/auth/csrf");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await page.request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password, callbackUrl: "/keys" },
    maxRedirects: 0,
  });
  expect([200, 302]).toContain(response.status());
}

/** A fresh user with their own data, signed in on this page (tests never share users). */
export async function signInAsNewUser(page: Page, db: PrismaClient, role: "USER" | "ADMIN" = "USER") {
  const user = await seedUser(db, { role });
  await signInByApi(page, user.email, user.password);
  return user;
}

interface Fixtures {
  db: PrismaClient;
  /** Fails the test when a page breaks the Content-Security-Policy (the portal must work under it). */
  cspGuard: void;
  /** Forgets the loopback client's failed sign-ins before each test. */
  clientThrottleForgotten: void;
}

export const test = base.extend<Fixtures>({
  cspGuard: [
    async ({ page }, use) => {
      const violations: string[] = [];
      page.on("console", (message) => {
        if (/Content[- ]Security[- ]Policy|Refused to (execute|load|apply|connect|frame)/i.test(message.text()))
          violations.push(message.text());
      });
      await use();
      expect(violations, "Content-Security-Policy violations").toEqual([]);
    },
    { auto: true },
  ],
  db: async ({}, use) => {
    const db = openClient(assertLocalDatabase(process.env.DATABASE_URL));
    await use(db);
    await db.$disconnect();
  },
  clientThrottleForgotten: [
    async ({ db }, use) => {
      // Every spec's browser signs in from the loopback address, and the run's deliberate failures
      // (wrong passwords, codes, passkeys) would add up across specs to the per-client throttle's
      // delays. Each test starts with the client's count forgotten; accounts keep their own.
      await db.signInThrottle.deleteMany({ where: { key: { startsWith: "client:" } } });
      await use();
    },
    { auto: true },
  ],
});

export { expect, seedKey, seedTeam, seedToken, seedUser };
