import { ZListKeysQuery, type KeyTab } from "./list-keys";

type SearchParams = Record<string, string | string[] | undefined>;

/**
 * A page's URL → the list query. Anything invalid in a hand-edited URL falls back to the
 * default for that field instead of failing the page.
 */
export function parseListQuery(params: SearchParams, defaultTab: KeyTab) {
  const flat = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const fields = { tab: flat.tab ?? defaultTab, q: flat.q, sort: flat.sort, dir: flat.dir, page: flat.page, pageSize: flat.pageSize };
  const cleaned: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const probe = ZListKeysQuery.safeParse({ [key]: value });
    if (probe.success) cleaned[key] = value;
  }
  return ZListKeysQuery.parse(cleaned);
}
