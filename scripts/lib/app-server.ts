// Runs Keyward's HTTP server (server/main.ts: Next behind our own node:http server) as a child
// process and waits until it answers. Shared by the start script, the test runner and the
// benchmarks. The child has an IPC channel to this process: when this process dies, however it
// dies, the channel closes and the server stops gracefully instead of serving on as an orphan.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";

export interface AppServer {
  url: string;
  port: number;
  child: ChildProcess;
  /** Graceful stop (SIGTERM, then SIGKILL after a timeout). */
  stop(): Promise<void>;
}

export interface AppServerOptions {
  root: string;
  port: number;
  env: NodeJS.ProcessEnv;
  dev?: boolean;
  /** Interface to listen on (default 127.0.0.1; set HOST=0.0.0.0 in a container). */
  host?: string;
  /** Append stdout+stderr here instead of inheriting the terminal. */
  logFile?: string;
  readyTimeoutMs?: number;
}

export async function startAppServer(options: AppServerOptions): Promise<AppServer> {
  const entry = join(options.root, "server/main.ts");
  // --expose-gc: the audit export asks for collections as it goes (lib/server/gc.ts), which is
  // what keeps its memory flat however large the log is.
  const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", entry, ...(options.dev ? ["--dev"] : [])], {
    cwd: options.root,
    env: {
      ...options.env,
      NEXT_TELEMETRY_DISABLED: "1",
      // next-auth builds its links from this, never from a Host header a client wrote.
      AUTH_URL: options.env.AUTH_URL ?? options.env.APP_URL,
      PORT: String(options.port),
      HOST: options.host ?? "127.0.0.1",
    },
    stdio: options.logFile ? ["ignore", "pipe", "pipe", "ipc"] : ["inherit", "inherit", "inherit", "ipc"],
  });
  // The channel exists only to tell the child when this process is gone; it carries nothing
  // and must not keep this process alive by itself.
  child.channel?.unref();
  if (options.logFile) {
    // A fresh clone has no test-results/ yet; the first server to log makes it.
    mkdirSync(dirname(options.logFile), { recursive: true });
    const log = createWriteStream(options.logFile, { flags: "a" });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
  }
  const url = `http://127.0.0.1:${options.port}`;
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    const code = await Promise.race([exited, new Promise<"wait">((r) => setTimeout(() => r("wait"), 250))]);
    if (code !== "wait") throw new Error(`The app exited with code ${code} before it was ready.`);
    // Any HTTP answer means the server is up (health may say 503 when the database is down).
    const ready = await fetch(`${url}/api/health`).then(() => true, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`The app did not answer on ${url} within ${options.readyTimeoutMs ?? 60_000} ms.`);
    }
  }

  return {
    url,
    port: options.port,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
