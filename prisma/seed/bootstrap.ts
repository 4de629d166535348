// Start-up data: the first admin from ADMIN_EMAIL/ADMIN_PASSWORD, and demo data when asked for.
// Fails loudly.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import { PrismaClient } from "../../lib/db/generated/client";
import { createPgAdapter } from "../../lib/db/pg-adapter";
import { hashPassword } from "../../lib/auth/password";
import { DEMO_ADMIN_EMAIL, DEMO_EMAILS } from "../../lib/users/demo-accounts";

// What the demo seed (demo.ts, run in a process of its own by runDemoSeed) takes and answers.
export interface DemoSeed {
  admin: { email: string; password: string };
  demo: { email: string; password: string };
  /** Plaintexts are printed once by the start script and never stored. */
  keys: { state: string; name: string; plaintext: string }[];
}

export interface DemoAccounts {
  admin: { email: string; password: string };
  /** The demo user's password. */
  demoPassword: string;
  /** The demo user's address (default demo@keyward.local; tests seed a demo of their own). */
  demoEmail?: string;
}

export interface BootstrapOptions {
  databaseUrl: string;
  /** Seed demo users and keys when the database has no users. */
  demo: boolean;
  adminEmail?: string;
  adminPassword?: string;
  /** The configuration the demo seed runs with (the app's): by default this process's. */
  env?: NodeJS.ProcessEnv;
}

export interface BootstrapResult {
  demo: DemoSeed | null;
  adminCreated: string | null;
  /** No account is an admin: the banner says how to make the first one. */
  noAdmin: boolean;
}

/**
 * Demo data only where it cannot hurt: by default on the embedded database outside production,
 * and not when the operator names a real admin (ADMIN_EMAIL). SEED_DEMO=true|false decides
 * otherwise.
 */
export function wantsDemo(env: NodeJS.ProcessEnv, embedded: boolean): boolean {
  if (env.SEED_DEMO) return demoAskedFor(env);
  return embedded && env.NODE_ENV !== "production" && !env.ADMIN_EMAIL;
}

/** SEED_DEMO=true: the operator wants demo data, in production too. */
export const demoAskedFor = (env: NodeJS.ProcessEnv) => ["true", "1", "yes"].includes(env.SEED_DEMO ?? "");

/** The demo accounts still in this database (a production start refuses to serve with them). */
export async function demoAccountsIn(databaseUrl: string): Promise<string[]> {
  const db = openClient(databaseUrl);
  try {
    const rows = await db.user.findMany({
      where: { email: { in: DEMO_EMAILS }, deletedAt: null },
      select: { email: true },
      orderBy: { email: "asc" },
    });
    return rows.map((r) => r.email);
  } finally {
    await db.$disconnect();
  }
}

/** A password for a demo account: random, printed once, never a constant anyone could know. */
export const demoPassword = () => randomBytes(12).toString("base64url");

export function openClient(databaseUrl: string): PrismaClient {
  return new PrismaClient({ adapter: createPgAdapter({ connectionString: databaseUrl, max: 2 }) });
}

const root = resolve(import.meta.dirname, "../..");

/**
 * Seeds the demo (demo.ts) through lib/, in a child process: lib/ reads its configuration once,
 * from the environment, and imports `server-only`, so it runs under the app's configuration
 * (`env`) and conditions, not this process's. Its emails stay in the outbox (no SMTP_URL): the
 * demo's addresses are nobody's.
 */
export function runDemoSeed(accounts: DemoAccounts, env: NodeJS.ProcessEnv): Promise<DemoSeed> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      ["--conditions=react-server", "--import", "tsx", resolve(root, "prisma/seed/run-demo.ts")],
      {
        cwd: root,
        env: { ...env, SMTP_URL: "" },
        stdio: ["pipe", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
    child.once("error", fail);
    child.once("exit", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("DEMO_SEED_RESULT "));
      if (code === 0 && line) done(JSON.parse(line.slice("DEMO_SEED_RESULT ".length)) as DemoSeed);
      else
        fail(
          new Error(
            `the demo seed failed (exit code ${code}); see the lines above. Delete the data folder to start over.`,
          ),
        );
    });
    child.stdin.end(JSON.stringify(accounts));
  });
}

export async function bootstrapData(options: BootstrapOptions): Promise<BootstrapResult> {
  const db = openClient(options.databaseUrl);
  try {
    const empty = (await db.user.count()) === 0;
    if (options.demo && empty) {
      const admin =
        options.adminEmail && options.adminPassword
          ? { email: options.adminEmail.toLowerCase(), password: options.adminPassword }
          : { email: DEMO_ADMIN_EMAIL, password: demoPassword() };
      const demo = await runDemoSeed(
        { admin, demoPassword: demoPassword() },
        { ...(options.env ?? process.env), DATABASE_URL: options.databaseUrl },
      );
      return { demo, adminCreated: admin.email, noAdmin: false };
    }
    if (options.adminEmail && options.adminPassword) {
      const email = options.adminEmail.toLowerCase();
      const existing = await db.user.findUnique({ where: { email }, select: { id: true } });
      if (!existing) {
        // The operator names this address: it counts as verified.
        await db.user.create({
          data: {
            email,
            name: "Admin",
            role: "ADMIN",
            emailVerifiedAt: new Date(),
            passwordHash: await hashPassword(options.adminPassword),
          },
        });
        return { demo: null, adminCreated: email, noAdmin: false };
      }
    }
    return { demo: null, adminCreated: null, noAdmin: (await db.user.count({ where: { role: "ADMIN" } })) === 0 };
  } finally {
    await db.$disconnect();
  }
}
