// A Prisma client on the test database, for arranging data with the seed factories and for
// checking what the app wrote.
import { openClient } from "../prisma/seed/bootstrap";
import type { PrismaClient } from "../lib/db/generated/client";
import { testEnv } from "./env";

let client: PrismaClient | null = null;

export function testDb(): PrismaClient {
  return (client ??= openClient(testEnv.databaseUrl));
}

export async function closeTestDb(): Promise<void> {
  await client?.$disconnect();
  client = null;
}

export { seedKey, seedTeam, seedUser } from "../prisma/seed/factories";
