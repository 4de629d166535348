"use server";
// The context switcher's action: remembers the chosen context (Personal or a team the person
// belongs to) and opens its keys.
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/auth/current-user";
import { env } from "@/lib/env";
import { CONTEXT_COOKIE } from "../teams/context";
import { teamRoleOf } from "../teams/membership";

export async function switchContextAction(form: FormData): Promise<void> {
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in");
  const wanted = String(form.get("context") ?? "personal").slice(0, 64);
  const jar = await cookies();
  if (wanted !== "personal" && (await teamRoleOf(user.id, wanted).catch(() => null))) {
    jar.set(CONTEXT_COOKIE, wanted, {
      httpOnly: true,
      sameSite: "lax",
      secure: env.APP_URL.startsWith("https:"),
      path: "/",
      maxAge: 365 * 86_400,
    });
  } else {
    jar.delete(CONTEXT_COOKIE);
  }
  redirect("/keys");
}
