// The demo accounts' passwords, kept in the data folder (0600, like the secrets beside them) so
// that a newcomer who lost the start banner can see them again: `npm run demo:credentials`. They
// are the passwords the accounts were made with; once one is changed, it no longer works.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface DemoCredential {
  label: string;
  email: string;
  password: string;
}

const FILE = "demo-credentials.json";

export function saveDemoCredentials(dataDir: string, credentials: DemoCredential[]): void {
  writeFileSync(join(dataDir, FILE), `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
}

export function readDemoCredentials(dataDir: string): DemoCredential[] | null {
  const file = join(dataDir, FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as DemoCredential[]) : null;
}
