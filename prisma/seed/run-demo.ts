// The demo seed in a process of its own, the way lib/ runs: its configuration read from this
// process's environment on first import (the parent chose it), `server-only` importable (started
// with --conditions=react-server). Reads the accounts as JSON on stdin, prints the result as one
// line starting with DEMO_SEED_RESULT, and fails loudly. Started by bootstrap.ts runDemoSeed.
import { prisma } from "../../lib/db/client";
import type { DemoAccounts } from "./bootstrap";
import { seedDemo } from "./demo";

/** bootstrap.ts finds the result by it, whatever else lib/ prints. */
const RESULT_PREFIX = "DEMO_SEED_RESULT ";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function main() {
  const accounts = JSON.parse(await readStdin()) as DemoAccounts;
  try {
    const seeded = await seedDemo(accounts);
    process.stdout.write(`\n${RESULT_PREFIX}${JSON.stringify(seeded)}\n`);
  } finally {
    await prisma.$disconnect();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(
      `[keyward] demo seed failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exit(1);
  },
);
