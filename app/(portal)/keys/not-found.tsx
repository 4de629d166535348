import Link from "next/link";

export default function KeyNotFound() {
  return (
    <div className="py-16 text-center">
      <h1 className="text-xl font-semibold">No such key</h1>
      <p className="mt-2 text-zinc-600 dark:text-zinc-400">
        It does not exist, was purged after its retention period, or belongs to someone else.
      </p>
      <Link
        href="/keys"
        className="mt-4 inline-block font-semibold text-indigo-700 hover:underline dark:text-indigo-300"
      >
        Back to my keys
      </Link>
    </div>
  );
}
