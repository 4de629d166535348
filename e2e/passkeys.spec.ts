// Passkeys in Chromium, with virtual authenticators over the DevTools protocol (a platform
// authenticator that holds discoverable credentials and verifies its user): add two, rename one,
// remove one, sign out, and sign in with the passkey alone. WebAuthn needs a secure context and an
// RP id that is a domain: http://localhost is both, 127.0.0.1 neither. So this spec runs its own
// instance, on the same database, whose APP_URL is http://localhost:<port>.
import { join, resolve } from "node:path";
import type { CDPSession } from "@playwright/test";
import { startAppServer, type AppServer } from "../server/app-server";
import { freePort } from "../server/free-port";
import { expect, seedUser, test } from "./support";

const root = resolve(import.meta.dirname, "..");
let app: AppServer;
let base: string;

test.use({ storageState: { cookies: [], origins: [] } });
// One instance for both tests: one worker runs them in turn.
test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const port = await freePort();
  base = `http://localhost:${port}`;
  app = await startAppServer({
    root,
    port,
    logFile: join(root, "test-results/server-passkeys-e2e.log"),
    env: { ...process.env, NODE_ENV: "production", APP_URL: base, AUTH_URL: undefined },
  });
});
test.afterAll(async () => app?.stop());

async function addAuthenticator(cdp: CDPSession): Promise<string> {
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return authenticatorId;
}

test("add two passkeys, rename one, remove one, sign out, sign in with the passkey alone", async ({ page, db }) => {
  const user = await seedUser(db);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  const laptop = await addAuthenticator(cdp);

  await page.goto(`${base}/sign-in`);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/keys$/);

  await page.goto(`${base}/settings`);
  await page.getByRole("link", { name: "Two-factor authentication and passkeys" }).click();
  await expect(page.getByRole("heading", { name: "Passkeys" })).toBeVisible();
  await expect(page.getByText("No passkeys yet.")).toBeVisible();

  // The first passkey, on the laptop's authenticator.
  await page.getByLabel("Passkey name").fill("Laptop");
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page.getByText("Passkey “Laptop” added.")).toBeVisible();
  const held = await cdp.send("WebAuthn.getCredentials", { authenticatorId: laptop });
  expect(held.credentials).toHaveLength(1);
  expect(held.credentials[0]!.isResidentCredential).toBe(true);

  // The laptop is gone; a phone's authenticator makes the second one.
  await cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId: laptop });
  const phone = await addAuthenticator(cdp);
  await page.getByLabel("Passkey name").fill("Phone");
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page.getByText("Passkey “Phone” added.")).toBeVisible();
  const list = page.getByRole("list", { name: "Your passkeys" });
  await expect(list.getByRole("listitem")).toHaveCount(2);

  // Rename the phone's.
  await page.getByRole("button", { name: "Rename Phone" }).click();
  await page.getByLabel("New name").fill("Work phone");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(list.getByRole("listitem", { name: "Work phone" })).toBeVisible();

  // Remove the lost laptop's, after the portal's confirmation.
  await page.getByRole("button", { name: "Remove Laptop" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("Remove the passkey “Laptop”?");
  await dialog.getByRole("button", { name: "Remove passkey" }).click();
  await expect(page.getByText("Passkey “Laptop” removed.")).toBeVisible();
  await expect(list.getByRole("listitem")).toHaveCount(1);
  await page.reload();
  await expect(
    page.getByRole("list", { name: "Your passkeys" }).getByRole("listitem", { name: "Work phone" }),
  ).toContainText("never used");
  expect((await db.passkey.findMany({ where: { userId: user.id } })).map((p) => p.name)).toEqual(["Work phone"]);

  // Signed out, then in again with the phone's passkey and nothing typed.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page).toHaveURL(/\/keys$/);
  await expect(page.getByText(user.email)).toBeVisible();
  const signIn = await db.auditEvent.findFirstOrThrow({
    where: { action: "auth.signed_in", actorId: user.id },
    orderBy: { at: "desc" },
  });
  expect(signIn.detail).toMatchObject({ method: "passkey" });
  const [credential] = (await cdp.send("WebAuthn.getCredentials", { authenticatorId: phone })).credentials;
  expect(credential!.signCount).toBeGreaterThan(0);

  await page.goto(`${base}/settings/security`);
  await expect(page.getByRole("listitem", { name: "Work phone" })).toContainText("last used");
});

test("a passkey this account no longer has is refused on the sign-in page", async ({ page, db }) => {
  const user = await seedUser(db);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  await addAuthenticator(cdp);
  await page.goto(`${base}/sign-in`);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/keys$/);
  await page.goto(`${base}/settings/security`);
  await page.getByLabel("Passkey name").fill("Only one");
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page.getByText("Passkey “Only one” added.")).toBeVisible();
  await page.getByRole("button", { name: "Remove Only one" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Remove passkey" }).click();
  await expect(page.getByText("Passkey “Only one” removed.")).toBeVisible();

  // The device still holds it; Keyward does not.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "That passkey was not accepted" })).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
});

test("once the account has a passkey, the password's second step asks for it, and it signs in", async ({
  page,
  db,
}) => {
  const user = await seedUser(db);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  await addAuthenticator(cdp);
  const signInWithPassword = async () => {
    await page.goto(`${base}/sign-in`);
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
  };
  await signInWithPassword();
  await expect(page).toHaveURL(/\/keys$/);
  await page.goto(`${base}/settings/security`);
  await page.getByLabel("Passkey name").fill("Laptop");
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page.getByText("Passkey “Laptop” added.")).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);

  // The right password alone no longer signs in: the second step offers the passkey (no code:
  // the account has no authenticator app).
  await signInWithPassword();
  await expect(page.getByText("Your account has two-factor authentication.")).toBeVisible();
  await expect(page.getByLabel("Authentication code")).toHaveCount(0);
  expect(await page.context().cookies()).not.toContainEqual(expect.objectContaining({ name: "authjs.session-token" }));
  await page.getByRole("button", { name: "Use a passkey" }).click();
  await expect(page).toHaveURL(/\/keys$/);
  await expect(page.getByText(user.email)).toBeVisible();
});
