import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { AdminNav } from "@/components/admin/admin-nav";
import { getCurrentUser } from "@/lib/auth/current-user";

// Admin pages do not exist for anyone else: 404, not a hint that there is something here.
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const user = await getCurrentUser();
  if (user?.role !== "ADMIN") notFound();
  return (
    <div className="space-y-6">
      <AdminNav />
      {children}
    </div>
  );
}
