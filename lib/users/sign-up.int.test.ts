// Sign-up and proving an address: the same answer whether or not the address has an account,
// a verification link through the outbox, no other email and no keys until it is used, and an
// unverified account's address taken back by its real owner.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { runSweep } from "@/lib/sweep/run-sweep";
import { Browser } from "@/test-support/browser";
import { closeTestDb, seedKey, seedUser, testDb } from "@/test-support/db";
import { sleep, verify } from "@/test-support/http";
import { createMailer } from "@/lib/notify/mailer";
import { confirmEmail } from "./email-verification";
import { signUp } from "./sign-up";

afterAll(async () => {
  await closeTestDb();
  await prisma.$disconnect();
});

const address = () => `new-${randomUUID().slice(0, 8)}@example.test`;

/** The newest email to an address, once it has left the outbox (sent at once, not by a sweep). */
async function lastEmail(to: string, kind: "VERIFY_EMAIL" | "SIGN_UP_ATTEMPT") {
  for (let i = 0; i < 50; i++) {
    const email = await testDb().emailMessage.findFirst({
      where: { toAddress: to, kind },
      orderBy: { createdAt: "desc" },
    });
    if (email && email.status !== "PENDING" && email.status !== "SENDING") return email;
    await sleep(100);
  }
  throw new Error(`no ${kind} email to ${to}`);
}

const tokenIn = (text: string | null) => /verify-email\?token=([A-Za-z0-9_-]+)/.exec(text ?? "")?.[1] ?? "";

describe("sign-up", () => {
  it("a new address gets an unverified account (never an admin) and a link that verifies it, exactly once", async () => {
    const email = address();
    await signUp({ email, name: "Ada", password: "a-long-password" }, "203.0.113.5");
    const user = await testDb().user.findUniqueOrThrow({ where: { email } });
    expect(user.emailVerifiedAt).toBeNull();
    expect(user.role).toBe("USER"); // sign-up has no path to admin; the first admin is made with `npm run user:admin`
    const sent = await lastEmail(email, "VERIFY_EMAIL");
    expect(sent.status).toBe("STORED"); // no SMTP in this run: the admin outbox holds it
    const token = tokenIn(sent.text);
    expect(token).not.toBe("");
    expect(await testDb().emailToken.count({ where: { tokenHash: token } })).toBe(0); // only its hash is stored

    const [first, second] = await Promise.all([confirmEmail(token, null), confirmEmail(token, null)]);
    expect([first.status, second.status].sort()).toEqual(["used", "verified"]);
    expect((await testDb().user.findUniqueOrThrow({ where: { email } })).emailVerifiedAt).not.toBeNull();
  });

  it("answers the same for an address that has an account, and mails its owner instead", async () => {
    const owner = await seedUser(testDb());
    const before = await testDb().user.count();
    await signUp({ email: owner.email, name: "Mallory", password: "mallorys-password" }, "203.0.113.6");
    expect(await testDb().user.count()).toBe(before);
    const warned = await lastEmail(owner.email, "SIGN_UP_ATTEMPT");
    expect(warned.subject).toContain("Someone tried to sign up with your address");
    // The owner's password is untouched.
    const browser = new Browser();
    await browser.signIn(owner.email, owner.password);
    expect(browser.signedIn).toBe(true);
  });

  it("the page says the same thing either way", async () => {
    const page = async (email: string) =>
      (await fetch(`${new Browser().baseUrl}/sign-up/check-email?email=${encodeURIComponent(email)}`)).text();
    const owner = await seedUser(testDb());
    const strip = (html: string, email: string) =>
      html
        .replaceAll(email, "EMAIL")
        .replace(/nonce="[^"]+"/g, "")
        .replace(/<script[\s\S]*?<\/script>/g, "");
    const fresh = address();
    expect(strip(await page(owner.email), owner.email)).toBe(strip(await page(fresh), fresh));
  });

  it("an unverified account gets no email and issues no key until the address is verified", async () => {
    const user = await seedUser(testDb(), { verified: false });
    const browser = new Browser();
    await browser.signIn(user.email, user.password);
    const issue = () =>
      browser.json("POST", "/api/v1/keys", { name: "k", scopes: ["read"], expiry: { type: "days", days: 7 } });
    const refused = await issue();
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { detail: string }).detail).toContain("Verify your email address");

    // Reminders and expiry notices still show in the app, but are never mailed.
    const key = await seedKey(testDb(), { userId: user.id, expiresAt: new Date(Date.now() - 1000) });
    await runSweep({ trigger: "test", mailer: createMailer(undefined, "x") });
    const notice = await testDb().notification.findFirstOrThrow({ where: { keyId: key.id } });
    expect(notice.emailStatus).toBe("SKIPPED");
    expect(await testDb().emailMessage.count({ where: { userId: user.id, kind: { notIn: ["VERIFY_EMAIL"] } } })).toBe(
      0,
    );

    expect((await browser.json("POST", "/api/v1/me/verification")).status).toBe(202);
    await confirmEmail(tokenIn((await lastEmail(user.email, "VERIFY_EMAIL")).text), null);
    expect((await issue()).status).toBe(201);
  });

  it("the real owner of an address takes back an account someone else made with it", async () => {
    const email = address();
    // Mallory signs up with Alice's address and a password of her own, and never verifies it.
    await signUp({ email, name: "Mallory", password: "mallorys-password" }, "203.0.113.7");
    const mallory = new Browser();
    await mallory.signIn(email, "mallorys-password");
    expect(mallory.signedIn).toBe(true);
    const legacy = await seedKey(testDb(), {
      userId: (await testDb().user.findUniqueOrThrow({ where: { email } })).id,
    });

    // Alice signs up; the answer is the same, and the link goes to her inbox.
    await signUp({ email, name: "Alice", password: "alices-password-1" }, "203.0.113.8");
    const claim = await lastEmail(email, "VERIFY_EMAIL");
    expect(claim.text).toContain("replace the old ones");
    const result = await confirmEmail(tokenIn(claim.text), "203.0.113.8");
    expect(result).toMatchObject({ status: "claimed", revokedKeys: 1 });

    expect((await mallory.json("GET", "/api/v1/keys")).status).toBe(401);
    const oldPassword = new Browser();
    await oldPassword.signIn(email, "mallorys-password");
    expect(oldPassword.signedIn).toBe(false);
    const alice = new Browser();
    await alice.signIn(email, "alices-password-1");
    expect(alice.signedIn).toBe(true);
    expect((await testDb().user.findUniqueOrThrow({ where: { email } })).name).toBe("Alice");
    expect((await verify(legacy.plaintext)).body.code).toBe("REVOKED");
  });

  it("sends at most three verification emails an hour to one account", async () => {
    const user = await seedUser(testDb(), { verified: false });
    const browser = new Browser();
    await browser.signIn(user.email, user.password);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await browser.json("POST", "/api/v1/me/verification")).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
  });
});
