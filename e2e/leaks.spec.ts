// The public leak report page: anyone, signed out, reports a key they found; a genuine key stops
// working and its owner sees why.
import { expect, seedKey, seedUser, test } from "./support";

test.use({ storageState: { cookies: [], origins: [] } });

test("report a leaked key from the public page; it is refused from then on", async ({ page, db, request }) => {
  const owner = await seedUser(db);
  const key = await seedKey(db, { userId: owner.id, name: "pasted-in-a-gist" });
  await page.goto("/");
  await page.getByRole("link", { name: "Report a leaked key" }).click();
  await expect(page.getByRole("heading", { name: "Report a leaked key" })).toBeVisible();
  await page.getByLabel("The key you found").fill(key.plaintext);
  await page.getByLabel("Where you found it (optional)").fill("https://gist.example.com/oops");
  await page.getByRole("button", { name: "Report the key" }).click();
  await expect(page.getByText("Thank you. If this is a key of this site")).toBeVisible();
  const verified = await request.post("/api/v1/keys/verify", { data: { key: key.plaintext } });
  expect(await verified.json()).toMatchObject({ code: "REVOKED", reason: "LEAKED" });
});
