#!/usr/bin/env node
// The `keyward` executable (the package's bin).
import { run } from "./run.js";

const exitCode = await run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  now: () => Date.now(),
  async readStdin() {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  },
});
// Set, not process.exit(): stdout may still be draining into a pipe.
process.exitCode = exitCode;
