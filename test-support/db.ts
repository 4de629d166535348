// A Prisma client on the test database, for arranging data with the seed factories and for
// checking what the app wrote.
import { openClient } from "../prisma/seed/bootstrap";
import * as factories from "../prisma/seed/factories";
import type { PrismaClient } from "../lib/db/generated/client";
import { testEnv } from "./env";
import { rememberSecret } from "./issued-secrets";

let client: PrismaClient | null = null;

export function testDb(): PrismaClient {
  return (client ??= openClient(testEnv.databaseUrl));
}

export async function closeTestDb(): Promise<void> {
  await client?.$disconnect();
  client = null;
}

export { seedTeam } from "../prisma/seed/factories";

// The factories, noting the secrets they make for the run's search of the servers' logs.
export const seedUser: typeof factories.seedUser = async (...args) => {
  const user = await factories.seedUser(...args);
  rememberSecret(user.password);
  return user;
};
export const seedKey: typeof factories.seedKey = async (...args) => {
  const key = await factories.seedKey(...args);
  rememberSecret(key.plaintext);
  return key;
};
export const seedToken: typeof factories.seedToken = async (...args) => {
  const token = await factories.seedToken(...args);
  rememberSecret(token.plaintext);
  return token;
};
