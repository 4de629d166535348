import type { Metadata } from "next";
import { getCurrentUser } from "@/lib/auth/current-user";

/**
 * An admin page's title, for admins only: to anyone else the page is a 404 (the layout says so),
 * and its title must not tell them what is there.
 */
export function adminTitle(title: string): () => Promise<Metadata> {
  return async () => ({ title: (await getCurrentUser())?.role === "ADMIN" ? title : "Page not found" });
}
