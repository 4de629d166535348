// Rotation makes a new key (or token) with a new id and points the old one at it (replacedById).
// A daily job that names one id keeps working by following those links to the current one.
import type { Output } from "./output.js";

export interface Chained {
  id: string;
  masked: string;
  expiresAt: string | null;
  replacedById: string | null;
  status: string;
}

const MAX_HOPS = 1_000;

export async function currentOfChain<T extends Chained>(
  start: T,
  get: (id: string) => Promise<T>,
  out: Output,
): Promise<T> {
  let current = start;
  for (let hops = 0; current.replacedById; hops++) {
    if (hops === MAX_HOPS) throw new Error(`${start.id} was rotated more than ${MAX_HOPS} times: name a newer one`);
    current = await get(current.replacedById);
  }
  if (current.id !== start.id)
    out.say(`${start.masked} (${start.id}) was replaced; its current successor is ${current.masked} (${current.id})`);
  return current;
}

/** Whether it expires within `withinMs` from now (or has expired); never-expiring ones never are. */
export function expiresWithin(item: Chained, withinMs: number, now: number): boolean {
  return item.expiresAt !== null && Date.parse(item.expiresAt) - now <= withinMs;
}
