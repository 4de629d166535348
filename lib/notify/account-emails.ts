import "server-only";
import type { Tx } from "@/lib/db/client";
import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { deliverEmails } from "./deliver-emails";
import { createMailer } from "./mailer";
import { escapeHtml, type RenderedEmail } from "./render-email";
import { log } from "@/lib/log/logger";

// Emails about the account itself (verify your address; someone tried to sign up with it; reset
// your password). They
// go through the same outbox as reminders, written whole when queued, and are sent at once
// after the change commits; a failed send is retried by the sweep like any other email.

type AccountEmailKind =
  | "VERIFY_EMAIL"
  | "SIGN_UP_ATTEMPT"
  | "TEAM_INVITATION"
  | "PASSWORD_RESET"
  | "NEW_DEVICE_SIGN_IN"
  | "SECOND_FACTOR_RESET";

const greeting = (name: string | null) => `Hello${name ? ` ${name}` : ""},`;

function render(subject: string, paragraphs: string[], link: { label: string; url: string } | null): RenderedEmail {
  const text = [
    ...paragraphs.flatMap((p) => [p, ""]),
    ...(link ? [`${link.label}: ${link.url}`, ""] : []),
    "— Keyward",
  ].join("\n");
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

/** The link that sets a new password: asked for on the sign-in page, or sent by an admin. */
export function passwordResetEmail(name: string | null, url: string, sentBy: "request" | "admin"): RenderedEmail {
  return render(
    "Reset your password",
    [
      greeting(name),
      sentBy === "admin"
        ? "An admin of Keyward sent you this link to choose a new password for your account."
        : "Someone (we hope you) asked to reset the password of your Keyward account. Open the link to choose a new one.",
      "The link works once, for 1 hour. Using it signs your account out everywhere; then sign in with the new password. If you did not ask for this, ignore this email: your password stays as it is.",
    ],
    { label: "Choose a new password", url },
  );
}

/** A sign-in from a browser this account has not used before (lib/sessions/start-session.ts). */
export function newDeviceSignInEmail(
  name: string | null,
  sign: { device: string; ip: string | null; at: Date; method: string },
  appUrl: string,
): RenderedEmail {
  return render(
    "New sign-in to your account",
    [
      greeting(name),
      `Your Keyward account was signed in to from a device it has not seen before: ${sign.device}${sign.ip ? `, from ${sign.ip}` : ""}, at ${sign.at.toISOString().slice(0, 16).replace("T", " ")} UTC (${sign.method}).`,
      "If this was you, there is nothing to do. If it was not, end that session under Settings → Sessions and change your password at once.",
    ],
    { label: "Review your sessions", url: `${appUrl}/settings/sessions` },
  );
}

/** An admin removed the account's second factor (lib/second-factor/admin-reset.ts). */
export function secondFactorResetEmail(name: string | null, appUrl: string): RenderedEmail {
  return render(
    "Your two-factor authentication was reset",
    [
      greeting(name),
      "An admin of Keyward removed the second factor (authenticator app and recovery codes) of your account, and signed your account out everywhere.",
      "Sign in with your password, then set up two-factor authentication again under Settings → Security. If you did not ask for this, tell your Keyward admins at once.",
    ],
    { label: "Sign in", url: `${appUrl}/sign-in` },
  );
}

/** Writes the email to the outbox in the caller's transaction; returns its id for sendSoon(). */
export async function queueAccountEmail(
  tx: Tx,
  userId: string,
  to: string,
  kind: AccountEmailKind,
  email: RenderedEmail,
): Promise<string> {
  const row = await tx.emailMessage.create({
    data: {
      userId,
      toAddress: to,
      kind,
      status: "PENDING",
      subject: email.subject,
      text: email.text,
      html: email.html,
    },
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
  }).catch((error: unknown) => log.error({ err: error, emailId }, "sending an email failed; the sweep will retry"));
}

/** How many emails of a kind went to a user since a moment (to keep from mailing anyone in a loop). */
export function recentAccountEmails(
  db: Tx | typeof prisma,
  userId: string,
  kind: AccountEmailKind,
  since: Date,
): Promise<number> {
  return db.emailMessage.count({ where: { userId, kind, createdAt: { gte: since } } });
}
