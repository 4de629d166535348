import { notFound, redirect } from "next/navigation";
import { ZIdParams } from "@/lib/api/text";
import { getCurrentUser } from "@/lib/auth/current-user";
import { canViewKey } from "@/lib/keys/read/key-access";

// The access check (own key, or a key of a team the person belongs to) lives in the layout, above the page's loading boundary, so someone else's
// (or a missing) key answers a real 404 before anything streams.
export default async function KeyLayout({ children, params }: LayoutProps<"/keys/[id]">) {
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in");
  const { id } = await params;
  if (!ZIdParams.safeParse({ id }).success || !(await canViewKey(user.id, id))) notFound();
  return children;
}
