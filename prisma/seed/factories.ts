// Factories for users and keys in any state. The demo seed, the integration tests and the e2e
// tests all build their data with these, so "a key in state X" means the same everywhere.
import { randomUUID } from "node:crypto";
import { hashPassword } from "../../lib/auth/password";
import type { BlacklistReason, PrismaClient } from "../../lib/db/generated/client";
import { generateKey, TOKEN_PREFIX } from "../../lib/keys/format";

type Db = Pick<PrismaClient, "user" | "apiKey" | "blacklistedKey" | "team">;

export interface SeedUserInput {
  email?: string;
  name?: string;
  password?: string;
  role?: "USER" | "ADMIN";
  /** Whether the address is verified (default true: most tests are about verified users). */
  verified?: boolean;
}

export async function seedUser(db: Db, input: SeedUserInput = {}) {
  const password = input.password ?? `pw-${randomUUID()}`;
  const email = (input.email ?? `user-${randomUUID().slice(0, 8)}@example.test`).toLowerCase();
  const user = await db.user.create({
    data: {
      email,
      name: input.name ?? email.split("@")[0]!,
      passwordHash: await hashPassword(password),
      role: input.role ?? "USER",
      emailVerifiedAt: input.verified === false ? null : new Date(),
    },
    select: { id: true, email: true, name: true, role: true },
  });
  return { ...user, password };
}

export interface SeedKeyInput {
  /** The owner: a person (userId) or a team (teamId, with issuedById for "issued by"). */
  userId?: string;
  teamId?: string;
  issuedById?: string;
  name?: string;
  scopes?: string[];
  /** null = never expires. Default: in 30 days. */
  expiresAt?: Date | null;
  createdAt?: Date;
  graceEndsAt?: Date | null;
  replacedById?: string | null;
  lastUsedAt?: Date | null;
  blacklist?: { reason: BlacklistReason; at?: Date; actorLabel?: string; note?: string | null };
  prefix?: string;
}

export async function seedKey(db: Db, input: SeedKeyInput) {
  const generated = generateKey(input.prefix ?? process.env.KEY_PREFIX ?? "kw");
  const now = Date.now();
  const key = await db.apiKey.create({
    data: {
      userId: input.teamId ? null : input.userId,
      teamId: input.teamId ?? null,
      issuedById: input.issuedById ?? input.userId ?? null,
      name: input.name ?? "test key",
      scopes: input.scopes ?? ["read"],
      expiresAt: input.expiresAt === undefined ? new Date(now + 30 * 86_400_000) : input.expiresAt,
      createdAt: input.createdAt ?? new Date(now),
      graceEndsAt: input.graceEndsAt ?? null,
      replacedById: input.replacedById ?? null,
      lastUsedAt: input.lastUsedAt ?? null,
      hash: generated.hash,
      prefix: generated.displayPrefix,
      last4: generated.last4,
    },
    select: { id: true, name: true, expiresAt: true },
  });
  if (input.blacklist) {
    await db.blacklistedKey.create({
      data: {
        keyId: key.id,
        reason: input.blacklist.reason,
        blacklistedAt: input.blacklist.at ?? new Date(now),
        actorLabel: input.blacklist.actorLabel ?? "seed",
        note: input.blacklist.note ?? null,
      },
    });
  }
  return { ...key, plaintext: generated.plaintext };
}

/** A team with an owner and, optionally, more members by role. */
export async function seedTeam(
  db: Db,
  input: {
    name?: string;
    slug?: string;
    owner: string;
    members?: { userId: string; role: "OWNER" | "ADMIN" | "MEMBER" }[];
  },
) {
  const name = input.name ?? `Team ${randomUUID().slice(0, 6)}`;
  const slug =
    input.slug ??
    `${name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")}-${randomUUID().slice(0, 6)}`;
  return db.team.create({
    data: {
      name,
      slug,
      members: { create: [{ userId: input.owner, role: "OWNER" }, ...(input.members ?? [])] },
    },
    select: { id: true, name: true, slug: true },
  });
}

/**
 * A person's API token (lib/tokens), e.g. a verifier (scope `verify`) for tests that verify with
 * one. Team tokens act through the team's service account: make those through the API.
 */
export async function seedToken(
  db: Db,
  input: { userId: string; scopes: string[]; name?: string; expiresAt?: Date | null },
) {
  const generated = generateKey(TOKEN_PREFIX);
  const token = await db.apiKey.create({
    data: {
      kind: "TOKEN",
      userId: input.userId,
      issuedById: input.userId,
      name: input.name ?? "test token",
      scopes: input.scopes,
      expiresAt: input.expiresAt === undefined ? new Date(Date.now() + 30 * 86_400_000) : input.expiresAt,
      hash: generated.hash,
      prefix: generated.displayPrefix,
      last4: generated.last4,
    },
    select: { id: true, name: true },
  });
  return { ...token, plaintext: generated.plaintext };
}
