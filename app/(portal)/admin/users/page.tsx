import { notFound } from "next/navigation";
import { UsersTable } from "@/components/admin/users-table";
import { DataTableSearch } from "@/components/ui/data-table";
import { parseSearchParams } from "@/lib/api/parse-search-params";
import { getCurrentUser } from "@/lib/auth/current-user";
import { env } from "@/lib/env";
import { listUsers, ZListUsersQuery } from "@/lib/users/admin-users";
import { adminTitle } from "../admin-title";

export const generateMetadata = adminTitle("Users");

export default async function AdminUsersPage({ searchParams }: PageProps<"/admin/users">) {
  // The admin layout is not re-run on client navigation between admin pages: each page checks too.
  const admin = await getCurrentUser();
  if (admin?.role !== "ADMIN") notFound();
  const query = parseSearchParams(ZListUsersQuery, await searchParams);
  const users = await listUsers(query);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">Users</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Every account. Sessions lists where someone is signed in, and ends any one of those sessions. Changing a role,
        or signing someone out everywhere, ends all their sessions at their next request. A reset link lets someone
        choose a new password (it works once, for an hour); using it ends their sessions too.
      </p>
      <DataTableSearch label="Search users" placeholder="Email or name…" />
      <UsersTable
        rows={users.items}
        page={users}
        now={new Date().toISOString()}
        selfId={admin.id}
        smtp={env.SMTP_URL !== undefined}
      />
    </div>
  );
}
