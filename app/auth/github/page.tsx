import type { Metadata } from "next";
import { SignInProblem } from "@/components/auth/sign-in-problem";

export const metadata: Metadata = { title: "GitHub sign-in" };

export default async function GitHubProblemPage({ searchParams }: PageProps<"/auth/github">) {
  return <SignInProblem name="GitHub" problem={(await searchParams).problem} />;
}
