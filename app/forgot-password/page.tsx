import type { Metadata } from "next";
import { AuthCard } from "@/components/auth/auth-card";
import { ForgotPasswordForm } from "@/components/auth/forgot-password-form";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Forgot your password?" };

export default async function ForgotPasswordPage({ searchParams }: PageProps<"/forgot-password">) {
  const raw = (await searchParams).email;
  return (
    <AuthCard title="Reset your password">
      <ForgotPasswordForm email={typeof raw === "string" ? raw.slice(0, 254) : ""} smtp={env.SMTP_URL !== undefined} />
    </AuthCard>
  );
}
