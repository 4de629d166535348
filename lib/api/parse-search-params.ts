import type { z } from "zod";

type SearchParams = Record<string, string | string[] | undefined>;

/**
 * A page's URL query through the same zod schema its API route uses. Unlike the API (which
 * answers 422), a page drops the values that do not parse and keeps the rest, so an old or
 * hand-edited link still shows something sensible.
 */
export function parseSearchParams<S extends z.ZodObject>(schema: S, params: SearchParams): z.output<S> {
  const picked: Record<string, string> = {};
  for (const name of Object.keys(schema.shape)) {
    const value = params[name];
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) picked[name] = first;
  }
  const parsed = schema.safeParse(picked);
  if (parsed.success) return parsed.data;
  const bad = new Set(parsed.error.issues.map((issue) => String(issue.path[0])));
  return schema.parse(Object.fromEntries(Object.entries(picked).filter(([name]) => !bad.has(name))));
}
