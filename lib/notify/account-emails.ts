import "server-only";
import type { Tx } from "@/lib/db/client";
import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { deliverEmails } from "./deliver-emails";
import { createMailer } from "./mailer";
import { escapeHtml, type RenderedEmail } from "./render-email";

// Emails about the account itself (verify your address; someone tried to sign up with it). They
// go through the same outbox as reminders, written whole when queued, and are sent at once
// after the change commits; a failed send is retried by the sweep like any other email.

type AccountEmailKind = "VERIFY_EMAIL" | "SIGN_UP_ATTEMPT" | "TEAM_INVITATION";

const greeting = (name: string | null) => `Hello${name ? ` ${name}` : ""},`;

function render(subject: string, paragraphs: string[], link: { label: string; url: string } | null): RenderedEmail {
  const text = [...paragraphs.flatMap((p) => [p, ""]), ...(link ? [`${link.label}: ${link.url}`, ""] : []), "— Keyward"].join("\n");
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#18181b;line-height:1.5">
${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join("\n")}
${link ? `<p><a href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a></p>` : ""}
<p>— Keyward</p>
</body></html>`;
  return { subject: `[Keyward] ${subject}`, text, html };
}

/** The link that proves an address; `claim` when it also sets the account's password. */
export function verificationEmail(name: string | null, url: string, claim: boolean): RenderedEmail {
  return render(
    "Verify your email address",
    [
      greeting(name),
      claim
        ? "Someone (we hope you) asked to create a Keyward account with this address, which already has an account that was never verified. Open the link to verify the address; the name and password chosen at sign-up then replace the old ones."
        : "Open the link to verify this address for your Keyward account. Until you do, Keyward sends you no reminders, and you cannot issue keys or connect GitHub.",
      "The link works once, for 24 hours. If you did not ask for this, ignore this email: nothing happens without the link.",
    ],
    { label: "Verify my address", url },
  );
}

/** Sent instead of a second account: the sign-up form says the same either way. */
export function signUpAttemptEmail(name: string | null, appUrl: string): RenderedEmail {
  return render(
    "Someone tried to sign up with your address",
    [
      greeting(name),
      "Someone tried to create a Keyward account with this email address. You already have one, so nothing was created.",
      "If it was you, sign in instead. If it was not, you need not do anything; your account is unchanged.",
    ],
    { label: "Sign in", url: `${appUrl}/sign-in` },
  );
}

/** Writes the email to the outbox in the caller's transaction; returns its id for sendSoon(). */
export async function queueAccountEmail(tx: Tx, userId: string, to: string, kind: AccountEmailKind, email: RenderedEmail): Promise<string> {
  const row = await tx.emailMessage.create({
    data: { userId, toAddress: to, kind, status: "PENDING", subject: email.subject, text: email.text, html: email.html },
    select: { id: true },
  });
  return row.id;
}

/**
 * Sends one queued email now, without making the caller wait. A failure is recorded on the
 * email (FAILED, with a backoff) and the next sweep retries it.
 */
export function sendSoon(emailId: string): void {
  void deliverEmails({
    now: new Date(),
    mailer: createMailer(env.SMTP_URL, env.MAIL_FROM),
    appUrl: env.APP_URL,
    batchSize: 1,
    maxAttempts: env.MAIL_MAX_ATTEMPTS,
    ids: [emailId],
  }).catch((error: unknown) => console.error(`[keyward] sending email ${emailId} failed; the sweep will retry:`, error));
}

/** How many emails of a kind went to a user since a moment (to keep from mailing anyone in a loop). */
export function recentAccountEmails(db: Tx | typeof prisma, userId: string, kind: AccountEmailKind, since: Date): Promise<number> {
  return db.emailMessage.count({ where: { userId, kind, createdAt: { gte: since } } });
}
