import type { ReactNode } from "react";

const TONES = {
  info: "bg-indigo-50 text-indigo-900 ring-indigo-200 dark:bg-indigo-950/50 dark:text-indigo-100 dark:ring-indigo-900",
  warning: "bg-amber-50 text-amber-900 ring-amber-200 dark:bg-amber-950/50 dark:text-amber-100 dark:ring-amber-900",
  error: "bg-red-50 text-red-900 ring-red-200 dark:bg-red-950/50 dark:text-red-100 dark:ring-red-900",
  success:
    "bg-emerald-50 text-emerald-900 ring-emerald-200 dark:bg-emerald-950/50 dark:text-emerald-100 dark:ring-emerald-900",
} as const;

export function Alert({
  tone = "info",
  children,
  role,
}: {
  tone?: keyof typeof TONES;
  children: ReactNode;
  role?: "alert" | "status";
}) {
  return (
    <div
      role={role ?? (tone === "error" ? "alert" : "status")}
      className={`rounded-md px-4 py-3 text-sm ring-1 ring-inset ${TONES[tone]}`}
    >
      {children}
    </div>
  );
}
