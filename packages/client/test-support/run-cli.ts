// Runs the built `keyward` as a child process, as a shell or a CI step would, with an environment
// of the test's own (HOME and XDG_CONFIG_HOME in a temporary folder: never the real user's).
import { spawn } from "node:child_process";

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  cli: string,
  args: string[],
  options: { env: Record<string, string>; input?: string; cwd?: string },
): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: options.cwd,
      // Nothing of the test runner's environment but PATH (NODE_ENV is required by Next's typings; the CLI ignores it).
      env: { NODE_ENV: "test", PATH: process.env.PATH ?? "", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.once("error", fail);
    child.once("close", (code) => done({ code, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}
