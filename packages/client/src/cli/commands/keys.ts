// keyward keys list | show | issue | rotate | revoke
import type { Grace, Key, ListKeysQuery } from "../../types.js";
import { currentOfChain, expiresWithin } from "../chain.js";
import type { CommandContext } from "../context.js";
import { stringValue } from "../context.js";
import { parseExpiry, parseSpan } from "../durations.js";
import { UsageError } from "../exit-codes.js";
import { keyDetail, keyRows, when } from "../output.js";
import { deliverSecret, secretDestination } from "../secret-delivery.js";

const TABS = ["active", "expiring", "blacklisted", "all"] as const;
const GRACES: readonly Grace[] = ["none", "1h", "24h", "7d", "until-expiry"];

function requireId(ctx: CommandContext, what = "key"): string {
  const id = ctx.positionals[0];
  if (!id) throw new UsageError(`which ${what}? Give its id`);
  if (ctx.positionals.length > 1) throw new UsageError(`unexpected argument "${ctx.positionals[1]}"`);
  return id;
}

export function parseGrace<G extends string>(
  value: string | boolean | undefined,
  allowed: readonly G[],
): G | undefined {
  const grace = stringValue(value);
  if (grace === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(grace))
    throw new UsageError(`--grace takes ${allowed.join(", ")}, not "${grace}"`);
  return grace as G;
}

export function parseScopes(value: string | boolean | undefined): string[] {
  const scopes = (stringValue(value) ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (scopes.length === 0) throw new UsageError("--scopes takes a comma-separated list, e.g. --scopes read,write");
  return scopes;
}

export async function listKeys(ctx: CommandContext): Promise<void> {
  if (ctx.positionals.length) throw new UsageError(`unexpected argument "${ctx.positionals[0]}"`);
  const tab = stringValue(ctx.values.tab);
  if (tab !== undefined && !(TABS as readonly string[]).includes(tab))
    throw new UsageError(`--tab takes ${TABS.join(", ")}`);
  const page = stringValue(ctx.values.page);
  if (page !== undefined && !/^[1-9]\d*$/.test(page)) throw new UsageError("--page takes a number from 1");
  const query: ListKeysQuery = {
    pageSize: 100,
    ...(tab ? { tab: tab as ListKeysQuery["tab"] } : {}),
    ...(page ? { page: Number(page) } : {}),
    ...(stringValue(ctx.values.team) ? { team: stringValue(ctx.values.team) } : {}),
  };
  const result = await (await ctx.client()).keys.list(query);
  const now = ctx.io.now();
  const more = result.hasNext ? [`(more: --page ${result.page + 1})`] : [];
  ctx.out.result(result.items.length ? [...keyRows(result.items, now), ...more] : "No keys.", result);
}

export async function showKey(ctx: CommandContext): Promise<void> {
  const key = await (await ctx.client()).keys.get(requireId(ctx));
  ctx.out.result(keyDetail(key, ctx.io.now()), key);
}

export async function issueKey(ctx: CommandContext): Promise<void> {
  if (ctx.positionals.length) throw new UsageError(`unexpected argument "${ctx.positionals[0]}"`);
  const name = stringValue(ctx.values.name);
  if (!name) throw new UsageError("keys issue needs --name");
  const scopes = parseScopes(ctx.values.scopes);
  const expiry = parseExpiry(stringValue(ctx.values.expires) ?? "30d");
  const destination = secretDestination(ctx.values, "key");
  const team = stringValue(ctx.values.team);
  const client = await ctx.client();
  const { result, wrote } = await deliverSecret(
    destination,
    ctx.out,
    () => client.keys.issue({ name, scopes, expiry, ...(team ? { teamId: team } : {}) }),
    (issued) => `The key ${issued.key.masked} (${issued.key.id}) was issued but is lost: revoke it and issue another.`,
  );
  ctx.out.result(
    [
      `Issued ${result.key.masked} (${result.key.id}), expires ${when(result.key.expiresAt, ctx.io.now())}.`,
      ...(wrote ? [`Wrote ${destination.writeEnv!.name} to ${wrote}.`] : []),
    ],
    {
      key: result.key,
      ...(destination.showSecret ? { plaintext: result.plaintext } : {}),
      ...(wrote ? { wroteEnv: { file: wrote, name: destination.writeEnv!.name } } : {}),
    },
  );
}

/**
 * Rotates the current key of the id's chain (so a daily job can keep naming the first id), and
 * with --if-expires-within only when that key expires within the span: a job run every day
 * rotates once, a week before the end, and otherwise changes nothing.
 */
export async function rotateKey(ctx: CommandContext): Promise<void> {
  const id = requireId(ctx);
  const grace = parseGrace(ctx.values.grace, GRACES);
  const expires = stringValue(ctx.values.expires);
  const expiry = expires === undefined ? undefined : parseExpiry(expires);
  const within = stringValue(ctx.values["if-expires-within"]);
  const withinMs = within === undefined ? undefined : parseSpan(within, "--if-expires-within");
  const destination = secretDestination(ctx.values, "key");
  const client = await ctx.client();
  const current = await currentOfChain(await client.keys.get(id), (next) => client.keys.get(next), ctx.out);
  const now = ctx.io.now();
  if (withinMs !== undefined && !expiresWithin(current, withinMs, now)) {
    if (current.status === "BLACKLISTED") {
      throw new Error(
        `${current.masked} (${current.id}) no longer works (blacklisted: ${current.blacklist?.reason ?? "?"}) though it is not due: rotate it without --if-expires-within to renew it`,
      );
    }
    ctx.out.result(
      `Not due: ${current.masked} (${current.id}) expires ${when(current.expiresAt, now)}, not within ${within}. Nothing changed.`,
      {
        rotated: false,
        key: current,
      },
    );
    return;
  }
  const { result, wrote } = await deliverSecret(
    destination,
    ctx.out,
    () => client.keys.rotate(current.id, { ...(grace ? { grace } : {}), ...(expiry ? { expiry } : {}) }),
    (rotated) =>
      `The new key ${rotated.key.masked} (${rotated.key.id}) is lost: rotate ${rotated.key.id} again ${graceNote(rotated.previous, now)}.`,
  );
  ctx.out.result(
    [
      `Rotated ${current.masked} (${current.id}) → ${result.key.masked} (${result.key.id}), expires ${when(result.key.expiresAt, now)}.`,
      `The previous key ${graceNote(result.previous, now)}.`,
      ...(wrote ? [`Wrote ${destination.writeEnv!.name} to ${wrote}.`] : []),
    ],
    {
      rotated: true,
      key: result.key,
      previous: result.previous,
      ...(destination.showSecret ? { plaintext: result.plaintext } : {}),
      ...(wrote ? { wroteEnv: { file: wrote, name: destination.writeEnv!.name } } : {}),
    },
  );
}

function graceNote(previous: Pick<Key, "graceEndsAt" | "expiresAt" | "status">, now: number): string {
  if (previous.graceEndsAt) return `works until ${when(previous.graceEndsAt, now)}`;
  return previous.status === "GRACE" ? `works until ${when(previous.expiresAt, now)}` : "no longer works";
}

export async function revokeKey(ctx: CommandContext): Promise<void> {
  const id = requireId(ctx);
  const note = stringValue(ctx.values.note);
  const key = await (await ctx.client()).keys.revoke(id, note ? { note } : {});
  ctx.out.result(`Revoked ${key.masked} (${key.id}).`, key);
}
