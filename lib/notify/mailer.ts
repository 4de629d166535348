import "server-only";
import nodemailer from "nodemailer";
import type { RenderedEmail } from "./render-email";

/** Where emails go: SMTP when SMTP_URL is set, otherwise the database outbox (the quick start). */
export interface Mailer {
  transport: "smtp" | "outbox";
  /** Resolves with the SMTP message id; throws when the server refuses or is unreachable. */
  send(to: string, email: RenderedEmail): Promise<string | null>;
}

export function createMailer(smtpUrl: string | undefined, from: string): Mailer {
  if (!smtpUrl) return { transport: "outbox", send: async () => null };
  const transporter = nodemailer.createTransport(smtpUrl, {
    // Fail a dead server within seconds so one sweep is never stuck on mail.
    connectionTimeout: 5000,
    greetingTimeout: 5000,
    socketTimeout: 10_000,
  });
  return {
    transport: "smtp",
    async send(to, email) {
      const info = await transporter.sendMail({ from, to, subject: email.subject, text: email.text, html: email.html });
      return info.messageId ?? null;
    },
  };
}
