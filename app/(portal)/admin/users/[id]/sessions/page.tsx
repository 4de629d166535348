import Link from "next/link";
import { notFound } from "next/navigation";
import { SessionsTable } from "@/components/settings/sessions-table";
import { zId } from "@/lib/api/text";
import { getCurrentUser } from "@/lib/auth/current-user";
import { listSessions, sessionOwner } from "@/lib/sessions/manage-sessions";
import { adminTitle } from "../../../admin-title";

export const generateMetadata = adminTitle("User sessions");

export default async function AdminUserSessionsPage({ params }: PageProps<"/admin/users/[id]/sessions">) {
  const admin = await getCurrentUser();
  if (admin?.role !== "ADMIN") notFound();
  const { id } = await params;
  if (!zId.safeParse(id).success) notFound();
  const user = await sessionOwner(id);
  if (!user) notFound();
  const sessions = await listSessions(id, admin.id === id ? (admin.sessionId ?? null) : null);
  return (
    <div className="space-y-4">
      <p className="text-sm text-zinc-500 dark:text-zinc-400">
        <Link href="/admin/users" className="underline-offset-2 hover:underline">
          Users
        </Link>{" "}
        /
      </p>
      <h1 className="text-2xl font-semibold tracking-tight">Sessions of {user.email}</h1>
      <SessionsTable
        rows={sessions}
        now={new Date().toISOString()}
        endPath={`/api/v1/admin/users/${id}/sessions`}
        whose="user"
      />
    </div>
  );
}
