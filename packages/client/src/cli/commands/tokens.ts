// keyward tokens list | issue | revoke | rotate
import type { TokenGrace, TokenScope } from "../../types.js";
import { currentOfChain, expiresWithin } from "../chain.js";
import type { CommandContext } from "../context.js";
import { stringValue } from "../context.js";
import { parseExpiry, parseSpan } from "../durations.js";
import { UsageError } from "../exit-codes.js";
import { tokenRows, when } from "../output.js";
import { deliverSecret, secretDestination } from "../secret-delivery.js";
import { parseGrace, parseScopes } from "./keys.js";

/** Tokens have no `until-expiry`: a token's grace must end. */
const TOKEN_GRACES: readonly TokenGrace[] = ["none", "1h", "24h", "7d"];

export async function listTokens(ctx: CommandContext): Promise<void> {
  if (ctx.positionals.length) throw new UsageError(`unexpected argument "${ctx.positionals[0]}"`);
  const team = stringValue(ctx.values.team);
  const result = await (await ctx.client()).tokens.list(team ? { team } : {});
  ctx.out.result(result.items.length ? tokenRows(result.items, ctx.io.now()) : "No tokens.", result);
}

export async function issueToken(ctx: CommandContext): Promise<void> {
  if (ctx.positionals.length) throw new UsageError(`unexpected argument "${ctx.positionals[0]}"`);
  const name = stringValue(ctx.values.name);
  if (!name) throw new UsageError("tokens issue needs --name");
  const scopes = parseScopes(ctx.values.scopes) as TokenScope[];
  const expiry = parseExpiry(stringValue(ctx.values.expires) ?? "30d");
  const destination = secretDestination(ctx.values, "token");
  const team = stringValue(ctx.values.team);
  const client = await ctx.client();
  const { result, wrote } = await deliverSecret(
    destination,
    ctx.out,
    () => client.tokens.issue({ name, scopes, expiry, ...(team ? { teamId: team } : {}) }),
    (issued) =>
      `The token ${issued.token.masked} (${issued.token.id}) was issued but is lost: revoke it and issue another.`,
  );
  ctx.out.result(
    [
      `Issued ${result.token.masked} (${result.token.id}), expires ${when(result.token.expiresAt, ctx.io.now())}.`,
      ...(wrote ? [`Wrote ${destination.writeEnv!.name} to ${wrote}.`] : []),
    ],
    {
      token: result.token,
      ...(destination.showSecret ? { plaintext: result.plaintext } : {}),
      ...(wrote ? { wroteEnv: { file: wrote, name: destination.writeEnv!.name } } : {}),
    },
  );
}

export async function revokeToken(ctx: CommandContext): Promise<void> {
  const id = ctx.positionals[0];
  if (!id || ctx.positionals.length > 1) throw new UsageError("tokens revoke takes one token id");
  const note = stringValue(ctx.values.note);
  const token = await (await ctx.client()).tokens.revoke(id, note ? { note } : {});
  ctx.out.result(`Revoked ${token.masked} (${token.id}).`, token);
}

/**
 * `tokens rotate <id>`, or `tokens rotate --self`: the calling token replaces itself, which is
 * how a CI job renews the token it runs with. --if-expires-within works with an id (the token's
 * expiry is read first); --self rotates unconditionally (a token cannot read itself by id).
 */
export async function rotateToken(ctx: CommandContext): Promise<void> {
  const self = ctx.values.self === true;
  const id = ctx.positionals[0];
  if (self === Boolean(id) || ctx.positionals.length > 1)
    throw new UsageError("tokens rotate takes one token id, or --self");
  const grace = parseGrace(ctx.values.grace, TOKEN_GRACES);
  const within = stringValue(ctx.values["if-expires-within"]);
  if (self && within !== undefined)
    throw new UsageError("--if-expires-within needs a token id (it reads the token's expiry)");
  const withinMs = within === undefined ? undefined : parseSpan(within, "--if-expires-within");
  const destination = secretDestination(ctx.values, "token");
  const client = await ctx.client();
  const now = ctx.io.now();
  let currentId: string | undefined;
  if (id) {
    const current = await currentOfChain(await client.tokens.get(id), (next) => client.tokens.get(next), ctx.out);
    if (withinMs !== undefined && !expiresWithin(current, withinMs, now)) {
      ctx.out.result(
        `Not due: ${current.masked} (${current.id}) expires ${when(current.expiresAt, now)}, not within ${within}. Nothing changed.`,
        { rotated: false, token: current },
      );
      return;
    }
    currentId = current.id;
  }
  const body = grace ? { grace } : {};
  const { result, wrote } = await deliverSecret(
    destination,
    ctx.out,
    () => (currentId ? client.tokens.rotate(currentId, body) : client.tokens.rotateSelf(body)),
    (rotated) =>
      `The new token ${rotated.token.masked} (${rotated.token.id}) is lost: rotate ${rotated.token.id} again with a token that still works.`,
  );
  ctx.out.result(
    [
      `Rotated ${result.previous.masked} (${result.previous.id}) → ${result.token.masked} (${result.token.id}), expires ${when(result.token.expiresAt, now)}.`,
      ...(result.previous.graceEndsAt
        ? [`The previous token works until ${when(result.previous.graceEndsAt, now)}.`]
        : []),
      ...(wrote ? [`Wrote ${destination.writeEnv!.name} to ${wrote}.`] : []),
    ],
    {
      rotated: true,
      token: result.token,
      previous: result.previous,
      ...(destination.showSecret ? { plaintext: result.plaintext } : {}),
      ...(wrote ? { wroteEnv: { file: wrote, name: destination.writeEnv!.name } } : {}),
    },
  );
}
