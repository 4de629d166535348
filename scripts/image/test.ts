// npm run test:image – builds the Dockerfile and runs the image for real, without a container
// registry or engine (what this needs: buildah, and debootstrap when no base image is cached):
//   1. a base image: KEYWARD_IMAGE_BASE if set (e.g. node:20-bookworm-slim from a registry),
//      else one made here from Debian's packages (debootstrap) plus this machine's Node and npm,
//      imported into buildah's local storage and kept there for the next run;
//   2. `buildah bud` of the Dockerfile on it (layers cached between runs);
//   3. the image's own command, as its own user, on the embedded database in the image's /data
//      volume: sign in, issue a key over HTTP, verify it, SIGTERM to the entry process (what
//      `docker stop` does), and the usage counts must be in the database afterwards; a second
//      start on the same volume serves the same key; the image's HEALTHCHECK answers 0 while it
//      serves and 1 once it is gone;
//   4. the same on the local PostgreSQL (a database of its own, dropped at the end), with the
//      secrets given as environment variables and a sweep called with CRON_SECRET.
// Prints the image size and the start times. Not part of `npm test`; .ci/run runs it where buildah
// is installed. `buildah run --isolation chroot --network host` stands in for `docker run`, which
// cannot run here (no container runtime may set resource limits in this sandbox).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { PGLITE_EXTENSIONS } from "../../lib/db/pglite-extensions";
import { signIn } from "../../test-support/http";
import { freePort } from "../../server/free-port";

const root = resolve(import.meta.dirname, "../..");
const IMAGE = process.env.KEYWARD_IMAGE_TAG ?? "localhost/keyward:test";
const POSTGRES = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const logDir = join(root, "test-results", "image");
/** Verifications per run; their count must be in the database after the stop. */
const VERIFICATIONS = 7;
const started: string[] = [];

interface ImageConfig {
  User: string;
  Env: string[];
  Cmd: string[];
  Entrypoint: string[] | null;
  Healthcheck?: { Test: string[] };
  Volumes?: Record<string, object>;
  StopSignal?: string;
}

function sh(command: string, args: string[], options: { input?: string } = {}): string {
  const result = spawnSync(command, args, { encoding: "utf8", input: options.input, maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0)
    throw new Error(
      `${command} ${args.join(" ")} failed (${result.status ?? result.signal}):\n${result.stderr}${result.stdout.slice(-2000)}`,
    );
  return result.stdout;
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The base image: a registry's (KEYWARD_IMAGE_BASE) or one made here once and kept. */
function ensureBase(): string {
  if (process.env.KEYWARD_IMAGE_BASE) return process.env.KEYWARD_IMAGE_BASE;
  const tag = `localhost/keyward-base:node${process.versions.node}-bookworm`;
  if (spawnSync("buildah", ["inspect", "--type", "image", tag], { stdio: "ignore" }).status === 0) return tag;
  console.log(
    `[image] making ${tag}: Debian bookworm (debootstrap, about a minute) plus this machine's Node ${process.version} and npm`,
  );
  const rootfs = mkdtempSync("/var/tmp/keyward-base-");
  try {
    const mirror = process.env.KEYWARD_DEBIAN_MIRROR ?? "http://deb.debian.org/debian";
    sh("debootstrap", ["--variant=minbase", "bookworm", rootfs, mirror]);
    // debootstrap may leave the target's /proc (or /sys, /dev/pts) mounted: never archive those.
    unmountUnder(rootfs);
    mkdirSync(join(rootfs, "usr/local/bin"), { recursive: true });
    copyFileSync(process.execPath, join(rootfs, "usr/local/bin/node"));
    const npmDir = join(sh("npm", ["root", "--global"]).trim(), "npm");
    cpSync(npmDir, join(rootfs, "usr/local/lib/node_modules/npm"), { recursive: true });
    symlinkSync("../lib/node_modules/npm/bin/npm-cli.js", join(rootfs, "usr/local/bin/npm"));
    symlinkSync("../lib/node_modules/npm/bin/npx-cli.js", join(rootfs, "usr/local/bin/npx"));
    // The machine's certificate authorities, so npm inside reaches the registry as npm outside does.
    const cas = "/etc/ssl/certs/ca-certificates.crt";
    const env = [
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      `NODE_VERSION=${process.versions.node}`,
    ];
    if (existsSync(cas)) {
      mkdirSync(join(rootfs, "etc/ssl/certs"), { recursive: true });
      copyFileSync(cas, join(rootfs, cas));
      mkdirSync(join(rootfs, "usr/local/etc"), { recursive: true });
      writeFileSync(join(rootfs, "usr/local/etc/npmrc"), `cafile=${cas}\nupdate-notifier=false\n`);
      env.push(`NODE_EXTRA_CA_CERTS=${cas}`);
    }
    rmSync(join(rootfs, "var/cache/apt/archives"), { recursive: true, force: true });
    rmSync(join(rootfs, "var/lib/apt/lists"), { recursive: true, force: true });
    const tarball = `${rootfs}.tar`;
    sh("tar", ["-C", rootfs, "-cf", tarball, "."]);
    const container = sh("buildah", ["from", "scratch"]).trim();
    try {
      sh("buildah", ["add", container, tarball, "/"]);
      sh("buildah", ["config", ...env.flatMap((e) => ["--env", e]), "--cmd", "node", container]);
      sh("buildah", ["commit", "--quiet", container, tag]);
    } finally {
      spawnSync("buildah", ["rm", container]);
      rmSync(tarball, { force: true });
    }
  } finally {
    unmountUnder(rootfs);
    rmSync(rootfs, { recursive: true, force: true });
  }
  return tag;
}

function unmountUnder(dir: string): void {
  const mounts = readFileSync("/proc/self/mounts", "utf8")
    .split("\n")
    .map((line) => line.split(" ")[1] ?? "")
    .filter((target) => target.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const target of mounts) sh("umount", [target]);
}

async function build(base: string): Promise<number> {
  mkdirSync(logDir, { recursive: true });
  const log = join(logDir, "build.log");
  const t0 = Date.now();
  const args = [
    "bud",
    "--isolation",
    "chroot",
    "--layers",
    "--format",
    "docker",
    "--build-arg",
    `BASE_IMAGE=${base}`,
    "-t",
    IMAGE,
    root,
  ];
  console.log(`[image] buildah ${args.join(" ")}  (log: ${log})`);
  const result = spawnSync("buildah", args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  mkdirSync(logDir, { recursive: true }); // a test run may have cleared test-results/ meanwhile
  writeFileSync(log, `${result.stdout}\n${result.stderr}`);
  if (result.status !== 0) throw new Error(`the image build failed:\n${(result.stdout + result.stderr).slice(-4000)}`);
  return Date.now() - t0;
}

function imageConfig(): ImageConfig {
  const inspected = JSON.parse(sh("buildah", ["inspect", "--type", "image", IMAGE])) as {
    Docker: { config: ImageConfig };
  };
  return inspected.Docker.config;
}

function imageSize(image: string): string {
  const [listed] = JSON.parse(sh("buildah", ["images", "--json", image])) as { size: string }[];
  return listed?.size ?? "?";
}

interface Running {
  name: string;
  process: ChildProcess;
  url: string;
  log(): string;
  exited: Promise<number | null>;
}

function newContainer(): string {
  const name = `keyward-image-test-${process.pid}-${started.length}`;
  sh("buildah", ["from", "--name", name, IMAGE]);
  started.push(name);
  return name;
}

/** The image's own command in the container, as `docker run` would start it, until it serves. */
async function startServer(
  container: string,
  command: string[],
  env: Record<string, string>,
): Promise<Running & { startMs: number }> {
  const port = await freePort();
  const all = { PORT: String(port), APP_URL: `http://127.0.0.1:${port}`, ...env };
  const t0 = Date.now();
  const child = spawn(
    "buildah",
    [
      "run",
      "--isolation",
      "chroot",
      "--network",
      "host",
      ...Object.entries(all).flatMap(([k, v]) => ["--env", `${k}=${v}`]),
      container,
      "--",
      ...command,
    ],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let text = "";
  child.stdout!.on("data", (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  const deadline = Date.now() + 240_000;
  while (!text.includes("Keyward is running")) {
    if (child.exitCode !== null) throw new Error(`the container exited (${child.exitCode}) before serving:\n${text}`);
    if (Date.now() > deadline) throw new Error(`the container did not serve within 240 s:\n${text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    name: container,
    process: child,
    url: `http://127.0.0.1:${port}`,
    log: () => text,
    exited,
    startMs: Date.now() - t0,
  };
}

/** The container's entry process (PID 1 under Docker): a descendant of `buildah run` running the image's command. */
function entryProcess(parent: number, command: string[]): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1]!.split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const queue = [parent];
  while (queue.length) {
    const pid = queue.shift()!;
    for (const child of children.get(pid) ?? []) {
      const argv = readFileSync(`/proc/${child}/cmdline`, "utf8").split("\0").filter(Boolean);
      if (argv[0]?.endsWith(`/${command[0]}`) || argv[0] === command[0]) {
        if (argv.slice(1).join(" ") === command.slice(1).join(" ")) return child;
      }
      queue.push(child);
    }
  }
  throw new Error(`no process runs ${command.join(" ")} under buildah (pid ${parent})`);
}

function uidOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("Uid:"))!;
  return Number(line.split(/\s+/)[1]);
}

/** SIGTERM to the entry process, as `docker stop` sends it; the whole container must be gone within 15 s. */
async function stopServer(server: Running, command: string[]): Promise<{ code: number | null; stopMs: number }> {
  const pid = entryProcess(server.process.pid!, command);
  const t0 = Date.now();
  process.kill(pid, "SIGTERM");
  const timer = setTimeout(() => server.process.kill("SIGKILL"), 15_000);
  const code = await server.exited;
  clearTimeout(timer);
  const stopMs = Date.now() - t0;
  check(stopMs < 15_000, `the container did not stop within 15 s of SIGTERM:\n${server.log()}`);
  return { code, stopMs };
}

/** The image's HEALTHCHECK command, run in a container of its own on the same network. */
function healthcheck(config: ImageConfig, container: string, port: string): number {
  const test = config.Healthcheck!.Test;
  check(test[0] === "CMD", `HEALTHCHECK should be an exec-form CMD, is ${test[0]}`);
  return (
    spawnSync(
      "buildah",
      ["run", "--isolation", "chroot", "--network", "host", "--env", `PORT=${port}`, container, "--", ...test.slice(1)],
      { timeout: 30_000 },
    ).status ?? -1
  );
}

async function verifyTimes(url: string, key: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    const response = await fetch(`${url}/api/v1/keys/verify`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ key }),
    });
    const body = (await response.json()) as { code?: string };
    check(
      response.status === 200 && body.code === "VALID",
      `verify answered ${response.status} ${JSON.stringify(body)}`,
    );
  }
}

/** Signs in as the demo user the banner printed and issues a key over HTTP. */
async function issueKey(server: Running): Promise<string> {
  const password = /demo user +demo@keyward\.local \/ (\S+)/.exec(server.log())?.[1];
  check(password, `no demo user in the banner:\n${server.log()}`);
  const session = await signIn("demo@keyward.local", password, server.url);
  const response = await session.request("POST", "/api/v1/keys", {
    name: "image test",
    scopes: ["read"],
    expiry: { type: "days", days: 7 },
  });
  const body = (await response.json()) as { plaintext?: string };
  check(response.status === 201 && body.plaintext, `issuing a key answered ${response.status} ${JSON.stringify(body)}`);
  return body.plaintext;
}

const hashOf = (key: string) => createHash("sha256").update(key).digest("hex");

function volumeDir(container: string): string {
  const id = JSON.parse(sh("buildah", ["inspect", "--type", "container", container])).ContainerID as string;
  const graphRoot = sh("buildah", ["info", "--format", "{{.store.GraphRoot}}"]).trim();
  const dir = join(graphRoot, "overlay-containers", id, "userdata", "buildah-volumes");
  const [volume] = readdirSync(dir);
  check(volume, `the container has no /data volume in ${dir}`);
  return join(dir, volume);
}

async function embeddedRun(config: ImageConfig, command: string[], figures: string[]): Promise<void> {
  const container = newContainer();
  const probe = newContainer();
  const env = { SEED_DEMO: "true", USAGE_FLUSH_INTERVAL_MS: "600000" };
  const first = await startServer(container, command, env);
  figures.push(`start on the embedded database, empty volume (create, migrate, seed): ${seconds(first.startMs)}`);
  check(
    first.log().includes("embedded PostgreSQL (PGlite) in /data/pglite"),
    `not on the embedded database in /data:\n${first.log()}`,
  );
  const pid = entryProcess(first.process.pid!, command);
  check(uidOf(pid) !== 0, "the server runs as root");
  const port = new URL(first.url).port;
  check(healthcheck(config, probe, port) === 0, "HEALTHCHECK failed while the server serves");
  const key = await issueKey(first);
  await verifyTimes(first.url, key, VERIFICATIONS);
  const stop1 = await stopServer(first, command);
  check(stop1.code === 0, `exit code ${stop1.code} after SIGTERM:\n${first.log()}`);
  // The server logs JSON lines (pino) in the container, plain text on a terminal: match the message either way.
  check(/stopping \(SIGTERM\)/.test(first.log()), `the server never heard SIGTERM:\n${first.log()}`);
  check(healthcheck(config, probe, port) !== 0, "HEALTHCHECK passed with no server");
  figures.push(`stop after SIGTERM (flush, close the embedded database): ${seconds(stop1.stopMs)}`);

  const second = await startServer(container, command, env);
  figures.push(`start on the embedded database, existing volume: ${seconds(second.startMs)}`);
  await verifyTimes(second.url, key, 1);
  const stop2 = await stopServer(second, command);
  check(stop2.code === 0, `exit code ${stop2.code} after SIGTERM:\n${second.log()}`);

  // Read the volume only now: the container's user must keep owning every file in it.
  const db = await PGlite.create(join(volumeDir(container), "pglite"), { extensions: PGLITE_EXTENSIONS });
  try {
    const { rows } = await db.query<{ usageCount: string }>(
      `SELECT "usageCount"::text AS "usageCount" FROM "ApiKey" WHERE hash = $1`,
      [hashOf(key)],
    );
    check(
      rows[0]?.usageCount === String(VERIFICATIONS + 1),
      `usage count in the volume's database is ${rows[0]?.usageCount}, expected ${VERIFICATIONS + 1}`,
    );
  } finally {
    await db.close();
  }
  console.log(
    `[image] embedded database: issued, verified ${VERIFICATIONS + 1}×, usage flushed on SIGTERM, served again from the volume, healthcheck 0 then 1`,
  );
}

async function postgresRun(command: string[], figures: string[]): Promise<void> {
  const name = `keyward_image_${process.pid}`;
  const admin = new pg.Client({ connectionString: POSTGRES });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES);
  url.pathname = `/${name}`;
  try {
    const cronSecret = randomBytes(24).toString("base64url");
    const container = newContainer();
    const server = await startServer(container, command, {
      DATABASE_URL: url.toString(),
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      CRON_SECRET: cronSecret,
      SEED_DEMO: "true",
      USAGE_FLUSH_INTERVAL_MS: "600000",
    });
    figures.push(`start on PostgreSQL, empty database (migrate, seed): ${seconds(server.startMs)}`);
    const key = await issueKey(server);
    await verifyTimes(server.url, key, VERIFICATIONS);
    const sweep = await fetch(`${server.url}/api/cron/sweep`, {
      method: "POST",
      headers: { authorization: `Bearer ${cronSecret}` },
    });
    check(sweep.status === 200, `the sweep answered ${sweep.status}: ${await sweep.text()}`);
    const stop = await stopServer(server, command);
    check(stop.code === 0, `exit code ${stop.code} after SIGTERM:\n${server.log()}`);
    const db = new pg.Client({ connectionString: url.toString() });
    await db.connect();
    try {
      const { rows } = await db.query<{ usageCount: string }>(
        `SELECT "usageCount"::text AS "usageCount" FROM "ApiKey" WHERE hash = $1`,
        [hashOf(key)],
      );
      check(
        rows[0]?.usageCount === String(VERIFICATIONS),
        `usage count on PostgreSQL is ${rows[0]?.usageCount}, expected ${VERIFICATIONS}`,
      );
    } finally {
      await db.end();
    }
    console.log(
      `[image] PostgreSQL: issued, verified ${VERIFICATIONS}×, swept with CRON_SECRET, usage flushed on SIGTERM`,
    );
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

async function main(): Promise<void> {
  check(
    spawnSync("buildah", ["--version"]).status === 0,
    "buildah is not installed (apt-get install buildah debootstrap)",
  );
  const figures: string[] = [];
  const t0 = Date.now();
  const base = ensureBase();
  const buildMs = await build(base);
  figures.push(`build (cached layers reused): ${seconds(buildMs)}`);
  figures.push(
    `image size: ${imageSize(IMAGE)} (its base ${base}: ${base.startsWith("localhost/") ? imageSize(base) : "pulled"})`,
  );

  const config = imageConfig();
  check(config.User && config.User !== "root" && config.User !== "0", `the image runs as ${config.User || "root"}`);
  check(config.Volumes && "/data" in config.Volumes, "no /data volume");
  check(config.Env.includes("HOST=0.0.0.0"), "HOST is not 0.0.0.0");
  check(config.Healthcheck?.Test?.length, "no HEALTHCHECK (build with --format docker)");
  check(
    !config.Entrypoint?.length,
    `an ENTRYPOINT (${config.Entrypoint?.join(" ")}) would stand between the stop signal and the server`,
  );
  const command = config.Cmd;
  check(
    command[0] === "node",
    `the command starts ${command[0]}, not node: signals must reach npm start's own process`,
  );

  await embeddedRun(config, command, figures);
  await postgresRun(command, figures);
  console.log(`\n[image] passed in ${seconds(Date.now() - t0)}\n${figures.map((f) => `  ${f}`).join("\n")}`);
}

main()
  .catch((error: unknown) => {
    console.error(`[image] FAILED: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  })
  .finally(() => {
    for (const name of started) spawnSync("buildah", ["rm", name]);
  });
