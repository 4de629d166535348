import Link from "next/link";
import { signOutAction } from "@/lib/auth/actions";
import { getCurrentUser } from "@/lib/auth/current-user";

export async function AppHeader() {
  const user = await getCurrentUser();
  return (
    <header className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <nav aria-label="Main" className="mx-auto flex h-14 max-w-6xl items-center gap-4 px-4 sm:px-6">
        <Link href={user ? "/keys" : "/"} className="flex items-center gap-2 font-semibold tracking-tight">
          <span aria-hidden className="inline-block h-5 w-5 rounded bg-indigo-600" />
          Keyward
        </Link>
        {user ? (
          <>
            <Link href="/keys" className="text-sm text-zinc-600 hover:text-zinc-900 dark:text-zinc-300 dark:hover:text-white">
              My keys
            </Link>
            {user.role === "ADMIN" ? (
              <Link href="/admin/keys" className="text-sm text-zinc-600 hover:text-zinc-900 dark:text-zinc-300 dark:hover:text-white">
                Admin
              </Link>
            ) : null}
            <div className="ml-auto flex items-center gap-3 text-sm">
              <span className="hidden text-zinc-500 sm:inline dark:text-zinc-400">{user.email}</span>
              <form action={signOutAction}>
                <button type="submit" className="rounded-md px-2 py-1 text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800">
                  Sign out
                </button>
              </form>
            </div>
          </>
        ) : (
          <div className="ml-auto flex items-center gap-3 text-sm">
            <Link href="/sign-in" className="text-zinc-700 dark:text-zinc-300">
              Sign in
            </Link>
          </div>
        )}
      </nav>
    </header>
  );
}
