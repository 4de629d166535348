// Teams in the browser: create a team, invite someone who accepts from the emailed link, a team
// key issued by one member and seen by another; a removed member refused at once; a team key that
// keeps verifying after the person who issued it leaves.
import type { Browser, Page } from "@playwright/test";
import type { PrismaClient } from "../lib/db/generated/client";
import { expect, seedUser, signInByApi, test } from "./support";

test.use({ storageState: { cookies: [], origins: [] } });

async function newPerson(
  browser: Browser,
  db: PrismaClient,
  name: string,
): Promise<{ page: Page; user: Awaited<ReturnType<typeof seedUser>> }> {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  const user = await seedUser(db, { name });
  await signInByApi(page, user.email, user.password);
  return { page, user };
}

async function invitationLink(db: PrismaClient, email: string): Promise<string> {
  await expect.poll(() => db.emailMessage.count({ where: { toAddress: email, kind: "TEAM_INVITATION" } })).toBe(1);
  const mail = await db.emailMessage.findFirstOrThrow({ where: { toAddress: email, kind: "TEAM_INVITATION" } });
  return new URL(/https?:\/\/\S+\/invitations\/[A-Za-z0-9_-]{43}/.exec(mail.text!)![0]).pathname;
}

async function switchTo(page: Page, context: string) {
  await page.getByTestId("context-switcher").selectOption({ label: context });
  await page.waitForURL("**/keys");
  await expect(page.getByTestId("context-switcher")).toHaveValue(/.+/);
}

test("create a team, invite, accept, and see a key issued by another member", async ({ browser, db }) => {
  const owner = await newPerson(browser, db, "Olga");
  const invitee = await newPerson(browser, db, "Ivan");

  // Olga creates the team and invites Ivan.
  await owner.page.goto("/teams");
  await owner.page.getByLabel("Team name").fill(`Billing ${Date.now()}`);
  await owner.page.getByRole("button", { name: "Create team" }).click();
  await owner.page.waitForURL(/\/teams\/billing-/);
  const teamName = (await owner.page.getByRole("heading", { level: 1 }).textContent())!;
  await expect(owner.page.getByText("You are an owner · 0 working keys")).toBeVisible();
  await expect(owner.page.getByText("No team key works. Deleting removes")).toBeVisible();
  await owner.page.getByLabel("Email address").fill(invitee.user.email);
  await owner.page.getByRole("button", { name: "Invite", exact: true }).click();
  await expect(owner.page.getByText(`Invitation sent to ${invitee.user.email}`)).toBeVisible();
  await expect(owner.page.getByTestId("team-invitation").filter({ hasText: invitee.user.email })).toBeVisible();

  // Olga issues a team key from the team's context.
  await owner.page.goto("/keys");
  await switchTo(owner.page, teamName);
  await expect(owner.page.getByRole("heading", { level: 1 })).toContainText(`${teamName}’s keys`);
  await owner.page.getByRole("button", { name: "Issue a key" }).click();
  const dialog = owner.page.getByRole("dialog", { name: "Issue a key" });
  await expect(dialog.getByLabel("Owner")).toHaveValue(/.+/); // the team, preselected in its context
  await dialog.getByLabel("Name").fill("team-ledger");
  await dialog.getByRole("button", { name: "Issue key" }).click();
  await expect(dialog.getByTestId("new-key")).toBeVisible();
  await owner.page.keyboard.press("Escape");
  await expect(owner.page.getByTestId("key-row").filter({ hasText: "team-ledger" })).toBeVisible();

  // Ivan opens the emailed link and joins: he lands on the team's keys and sees Olga's key.
  await invitee.page.goto(await invitationLink(db, invitee.user.email));
  await expect(invitee.page.getByText(`You are invited to join ${teamName}`)).toBeVisible();
  await invitee.page.getByRole("button", { name: `Join ${teamName}` }).click();
  await invitee.page.waitForURL("**/keys");
  const row = invitee.page.getByTestId("key-row").filter({ hasText: "team-ledger" });
  await expect(row).toBeVisible();
  await expect(row).toContainText("Olga"); // issued by
  // Opening the link again says it was used, not an error.
  await invitee.page.goto(await invitationLink(db, invitee.user.email));
  await expect(invitee.page.getByText("This invitation has already been accepted.")).toBeVisible();
});

test("a removed member is refused at once; the key they issued keeps verifying after they leave", async ({
  browser,
  db,
}) => {
  const owner = await newPerson(browser, db, "Ola");
  const member = await newPerson(browser, db, "Mika");
  const team = await db.team.create({
    data: {
      name: `Ops ${Date.now()}`,
      slug: `ops-${Date.now()}`,
      members: {
        create: [
          { userId: owner.user.id, role: "OWNER" },
          { userId: member.user.id, role: "MEMBER" },
        ],
      },
    },
  });

  // Mika issues a team key, then looks at it.
  const issued = await member.page.request.post("/api/v1/keys", {
    data: { name: "mika-svc", expiry: { type: "days", days: 30 }, scopes: ["read"], teamId: team.id },
  });
  expect(issued.status()).toBe(201);
  const { key, plaintext } = (await issued.json()) as { key: { id: string }; plaintext: string };
  await member.page.goto(`/keys/${key.id}`);
  await expect(member.page.getByRole("heading", { name: /mika-svc/ })).toBeVisible();

  // Ola removes Mika; Mika's very next request is refused.
  await owner.page.goto(`/teams/${team.slug}`);
  await owner.page.getByRole("button", { name: `Remove ${member.user.email}` }).click();
  await owner.page.getByRole("dialog", { name: "Are you sure?" }).getByRole("button", { name: "Remove" }).click();
  await expect(owner.page.getByText(`${member.user.email} was removed`)).toBeVisible();
  await member.page.reload();
  await expect(member.page.getByRole("heading", { name: "No such key" })).toBeVisible();
  await member.page.goto(`/teams/${team.slug}`);
  await expect(member.page.getByRole("heading", { name: "Page not found" })).toBeVisible();

  // The key Mika issued is the team's: it still verifies, and the team sees who issued it.
  const answer = await member.page.request.post("/api/v1/keys/verify", { data: { key: plaintext } });
  expect(await answer.json()).toMatchObject({
    valid: true,
    ownerId: team.id,
    owner: { type: "team", name: team.name },
  });
  await owner.page.goto(`/keys/${key.id}`);
  await expect(owner.page.getByText("Mika").first()).toBeVisible();
});

test("leaving a team from its page", async ({ browser, db }) => {
  const owner = await newPerson(browser, db, "Otto");
  const member = await newPerson(browser, db, "Lena");
  const team = await db.team.create({
    data: {
      name: `Data ${Date.now()}`,
      slug: `data-${Date.now()}`,
      members: {
        create: [
          { userId: owner.user.id, role: "OWNER" },
          { userId: member.user.id, role: "MEMBER" },
        ],
      },
    },
  });
  const issued = await member.page.request.post("/api/v1/keys", {
    data: { name: "lena-job", expiry: { type: "days", days: 30 }, scopes: ["read"], teamId: team.id },
  });
  const { plaintext } = (await issued.json()) as { plaintext: string };
  await member.page.goto(`/teams/${team.slug}`);
  await member.page.getByRole("button", { name: "Leave the team" }).click();
  await member.page.getByRole("dialog", { name: "Are you sure?" }).getByRole("button", { name: "Leave" }).click();
  await member.page.waitForURL("**/teams");
  await expect(member.page.getByText("You are not in a team yet")).toBeVisible();
  const answer = await member.page.request.post("/api/v1/keys/verify", { data: { key: plaintext } });
  expect(await answer.json()).toMatchObject({ valid: true, ownerId: team.id });
});
