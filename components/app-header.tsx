import Link from "next/link";
import { signOutAction } from "@/lib/auth/actions";
import { getCurrentUser } from "@/lib/auth/current-user";
import { unreadCount } from "@/lib/notify/notifications";
import { portalContext } from "@/lib/teams/context";
import { ContextSwitcher } from "./teams/context-switcher";

const navLink = "text-sm text-zinc-600 hover:text-zinc-900 dark:text-zinc-300 dark:hover:text-white";

export async function AppHeader() {
  const user = await getCurrentUser();
  const [unread, portal] = user ? await Promise.all([unreadCount(user.id), portalContext(user.id)]) : [0, null];
  return (
    <header className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <nav aria-label="Main" className="mx-auto flex h-14 max-w-6xl items-center gap-3 px-4 sm:gap-4 sm:px-6">
        <Link href={user ? "/keys" : "/"} className="flex items-center gap-2 font-semibold tracking-tight">
          <span aria-hidden className="inline-block h-5 w-5 rounded bg-indigo-600" />
          <span className="hidden sm:inline">Keyward</span>
        </Link>
        {user && portal ? (
          <>
            <ContextSwitcher
              current={portal.context.type === "team" ? portal.context.id : "personal"}
              teams={portal.teams}
            />
            {/* On a phone the section links scroll sideways inside the header; the page never does. */}
            <div className="flex min-w-0 flex-1 items-center gap-3 overflow-x-auto whitespace-nowrap sm:gap-4">
              <Link href="/keys" className={navLink}>
                {portal.context.type === "team" ? "Keys" : "My keys"}
              </Link>
              <Link href="/teams" className={navLink}>
                Teams
              </Link>
              <Link href="/webhooks" className={navLink}>
                Webhooks
              </Link>
              {user.role === "ADMIN" ? (
                <Link href="/admin/keys" className={navLink}>
                  Admin
                </Link>
              ) : null}
              <Link href="/settings" className={navLink}>
                Settings
              </Link>
            </div>
            <div className="ml-auto flex shrink-0 items-center gap-1 text-sm sm:gap-3">
              <Link
                href="/notifications"
                data-testid="notification-bell"
                aria-label={unread ? `Notifications, ${unread} unread` : "Notifications"}
                className="relative rounded-md p-2 text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
              >
                <svg
                  aria-hidden
                  viewBox="0 0 24 24"
                  className="h-5 w-5"
                  fill="none"
                  stroke="currentColor"
                  strokeWidth="1.8"
                >
                  <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" strokeLinecap="round" strokeLinejoin="round" />
                  <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" strokeLinecap="round" />
                </svg>
                {unread ? (
                  <span className="absolute -right-0.5 -top-0.5 min-w-4 rounded-full bg-red-600 px-1 text-center text-[10px] font-semibold leading-4 text-white">
                    {unread > 99 ? "99+" : unread}
                  </span>
                ) : null}
              </Link>
              <span className="hidden text-zinc-500 md:inline dark:text-zinc-400">{user.email}</span>
              <form action={signOutAction}>
                <button
                  type="submit"
                  className="rounded-md px-2 py-1 text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
                >
                  Sign out
                </button>
              </form>
            </div>
          </>
        ) : (
          <div className="ml-auto flex items-center gap-4 text-sm">
            <Link href="/report-a-leak" className={navLink}>
              Report a leaked key
            </Link>
            <Link href="/sign-in" className="text-zinc-700 dark:text-zinc-300">
              Sign in
            </Link>
          </div>
        )}
      </nav>
    </header>
  );
}
