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
  /** Graceful stop (SIGTERM, then SIGKILL after a timeout); done once the log holds all it printed. */
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
  // --expose-gc: the audit export asks for collections as it goes (lib/process/gc.ts), which is
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
  // The channel tells the child when this process is gone, and this process when the child
  // listens; it must not keep this process alive by itself.
  child.channel?.unref();
  let logWritten = Promise.resolve();
  if (options.logFile) {
    // A fresh clone has no test-results/ yet; the first server to log makes it.
    mkdirSync(dirname(options.logFile), { recursive: true });
    const log = createWriteStream(options.logFile, { flags: "a" });
    // Two streams into one file: it ends once both have (the child's "close"), not when the
    // first does and the other's last lines would be written after its end.
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    child.once("close", () => log.end());
    logWritten = new Promise((resolve) => log.once("close", () => resolve()));
  }
  const url = `http://127.0.0.1:${options.port}`;
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  // Ready when the server says it listens (server/main.ts): an answer on the port alone could
  // come from another program holding it, whose port this server then fails to take.
  let onMessage: ((message: unknown) => void) | undefined;
  const listening = new Promise<"listening">((resolve) => {
    onMessage = (message) => {
      if ((message as { keyward?: string } | null)?.keyward === "listening") resolve("listening");
    };
    child.on("message", onMessage);
  });
  const timeoutMs = options.readyTimeoutMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs)));
  const outcome = await Promise.race([listening, exited, timedOut]);
  clearTimeout(timer);
  // A message listener holds the channel (and so this process) open: let go once heard.
  child.off("message", onMessage!);
  child.channel?.unref();
  if (outcome === "timeout") {
    child.kill("SIGKILL");
    throw new Error(`The app did not start listening on ${url} within ${timeoutMs} ms.`);
  }
  if (outcome !== "listening") throw new Error(`The app exited with code ${outcome} before it was ready.`);
  // The first request starts the app's own start-up (instrumentation: the fast path, the
  // dispatcher, the usage flush on stop): ready means that has run, as it has for every caller.
  for (;;) {
    const answered = await fetch(`${url}/api/health`).then(
      () => true,
      () => false,
    );
    if (answered) break;
    if (child.exitCode !== null) throw new Error(`The app exited with code ${child.exitCode} before it was ready.`);
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    url,
    port: options.port,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await logWritten;
    },
  };
}
