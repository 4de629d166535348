// The building blocks every request schema uses for text, so hostile text is refused in one
// place, with a 422, before it reaches a query: PostgreSQL refuses NUL in text, and a lone
// UTF-16 surrogate has no UTF-8 form.
import { z } from "zod";

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isCleanText(value: string): boolean {
  return !value.includes("\u0000") && !LONE_SURROGATE.test(value);
}

/** Any text field of a request (body or query): a string without NUL or lone surrogates. */
export const zText = () => z.string().refine(isCleanText, "Must not contain NUL or unpaired surrogate characters");

/** A record id as Keyward makes them (UUIDs); anything else names nothing. */
export const zId = z.guid();

/** Path parameters that are record ids: a malformed one is a 404, like a missing record. */
export const ZIdParams = z.object({ id: zId });
