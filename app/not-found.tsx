import Link from "next/link";

export default function NotFound() {
  return (
    <div className="mx-auto max-w-md px-4 py-24 text-center">
      <p className="text-sm font-semibold text-indigo-600 dark:text-indigo-400">404</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight">Page not found</h1>
      <p className="mt-2 text-zinc-600 dark:text-zinc-400">There is nothing here, or it is not yours to see.</p>
      <Link
        href="/keys"
        className="mt-6 inline-block font-semibold text-indigo-700 hover:underline dark:text-indigo-300"
      >
        Back to my keys
      </Link>
    </div>
  );
}
