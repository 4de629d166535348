// Every secret the integration tests make (passwords of seeded users, seeded keys' and tokens'
// plaintexts, passwords signed in with), written down as they are made, so that the test runner
// can search every line the run's servers logged for them once the servers have stopped
// (scripts/test.ts, secretsInLogs). A file per test process: test files run in processes of their own.
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const DIR = join(resolve(import.meta.dirname, ".."), "test-results", "issued-secrets");

/** Notes a secret a test made or used (shorter than 8 characters: too likely to occur by chance). */
export function rememberSecret(value: string): void {
  if (value.length < 8) return;
  mkdirSync(DIR, { recursive: true });
  appendFileSync(join(DIR, `${process.pid}.txt`), `${value}\n`);
}

/** Every secret noted so far in this run, by any test process. */
export function issuedSecrets(): string[] {
  if (!existsSync(DIR)) return [];
  const all = readdirSync(DIR).flatMap((file) => readFileSync(join(DIR, file), "utf8").split("\n"));
  return [...new Set(all.filter(Boolean))];
}
