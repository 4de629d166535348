import type { Metadata } from "next";
import { SignInProblem } from "@/components/auth/sign-in-problem";
import { oidcName } from "@/lib/sso/oidc-config";

export const metadata: Metadata = { title: "Single sign-on" };

export default async function OidcProblemPage({ searchParams }: PageProps<"/auth/oidc">) {
  return <SignInProblem name={oidcName()} problem={(await searchParams).problem} />;
}
