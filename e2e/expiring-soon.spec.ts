// "Expiring soon" in a real browser: the banner counts the keys a person is responsible for,
// personal and team alike, and its link opens a view listing exactly those; a rotated key in
// grace says when it stops working and can be revoked early from its page.
import { seedTeam } from "../prisma/seed/factories";
import { expect, seedKey, signInAsNewUser, test } from "./support";

const DAY = 86_400_000;

test.use({ storageState: { cookies: [], origins: [] } });

test("the banner's link lists exactly the keys it counted; a key in grace says when it stops and is revoked from its page", async ({
  page,
  db,
  request,
}) => {
  const user = await signInAsNewUser(page, db);
  const team = await seedTeam(db, { owner: user.id });
  const at = (days: number) => new Date(Date.now() + days * DAY);
  await seedKey(db, { userId: user.id, name: "mine-soon", expiresAt: at(2) });
  await seedKey(db, { userId: user.id, name: "mine-later", expiresAt: at(40) });
  await seedKey(db, { teamId: team.id, issuedById: user.id, name: "team-soon", expiresAt: at(4) });
  await seedKey(db, { teamId: team.id, issuedById: user.id, name: "team-later", expiresAt: at(50) });
  // Rotated through the API with a 24-hour grace: the old key expires in a month, but stops tomorrow.
  const worker = await seedKey(db, { userId: user.id, name: "worker", expiresAt: at(30) });
  const rotated = await page.request.post(`/api/v1/keys/${worker.id}/rotate`, { data: { grace: "24h" } });
  expect(rotated.status()).toBe(201);
  const replacement = ((await rotated.json()) as { key: { id: string; masked: string } }).key;

  await page.goto("/keys");
  const banner = page.getByTestId("renewal-banner");
  await expect(banner).toContainText("3 keys expire within 7 days");
  await banner.getByRole("link", { name: "See all 3" }).click();
  await expect(page).toHaveURL(/\/keys\?view=responsible&tab=expiring/);
  await expect(page.getByRole("heading", { name: "Keys you are responsible for" })).toBeVisible();
  const rows = page.getByTestId("key-row");
  await expect(rows).toHaveCount(3);
  for (const name of ["mine-soon", "team-soon", "worker"])
    await expect(rows.filter({ has: page.getByRole("link", { name, exact: true }) })).toHaveCount(1);
  await expect(rows.filter({ hasText: "team-soon" })).toContainText(`Team ${team.name}`);
  await expect(page.getByRole("link", { name: /Expiring soon/ })).toContainText("3");
  await expect(page.getByTestId("timeline-totals")).toContainText("3 within 7 days");

  // The key in grace: its row and its page say when it stops working, and what replaced it.
  const graceRow = rows.filter({ has: page.getByRole("link", { name: "worker", exact: true }) });
  await expect(graceRow.getByTestId("works-until")).toContainText(/stops working in (23|24) hours/);
  await graceRow.getByRole("link", { name: "worker", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/keys/${worker.id}$`));
  await expect(page.getByTestId("works-until")).toContainText(/stops working in (23|24) hours/);
  await expect(page.getByTestId("works-until")).toContainText(`replaced by ${replacement.masked}`);

  // Revoking it ends the grace now: refused at once, and the banner counts two.
  await page.getByRole("button", { name: "Revoke" }).click();
  const confirm = page.getByRole("dialog", { name: "Revoke “worker”?" });
  await confirm.getByRole("button", { name: "Revoke key" }).click();
  await expect(page.getByText("Blacklisted as REVOKED")).toBeVisible();
  expect(await (await request.post("/api/v1/keys/verify", { data: { key: worker.plaintext } })).json()).toMatchObject({
    code: "REVOKED",
    reason: "REVOKED",
  });
  await expect(banner).toContainText("2 keys expire within 7 days");
});
