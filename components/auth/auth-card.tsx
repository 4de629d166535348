import type { ReactNode } from "react";

export function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="mx-4 sm:mx-auto mt-16 max-w-sm rounded-xl bg-white p-6 shadow-sm ring-1 ring-zinc-200 sm:p-8 dark:bg-zinc-900 dark:ring-zinc-800">
      <h1 className="mb-6 text-xl font-semibold tracking-tight">{title}</h1>
      {children}
    </div>
  );
}
