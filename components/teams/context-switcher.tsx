"use client";
// Personal / each team: whose keys the portal shows. Submits on change (and has a button for
// anyone without JavaScript).
import { useRef } from "react";
import { switchContextAction } from "@/lib/actions/team-actions";

export function ContextSwitcher({ current, teams }: { current: string; teams: { id: string; name: string }[] }) {
  const form = useRef<HTMLFormElement>(null);
  return (
    <form ref={form} action={switchContextAction} className="flex shrink-0 items-center">
      <label htmlFor="context-switcher" className="sr-only">
        Whose keys
      </label>
      <select
        id="context-switcher"
        name="context"
        data-testid="context-switcher"
        defaultValue={current}
        onChange={() => form.current?.requestSubmit()}
        className="max-w-28 truncate rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm text-zinc-800 sm:max-w-48 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
      >
        <option value="personal">Personal</option>
        {teams.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </select>
      <noscript>
        <button type="submit" className="ml-1 rounded-md px-2 py-1 text-sm">
          Switch
        </button>
      </noscript>
    </form>
  );
}
