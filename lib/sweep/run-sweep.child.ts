// One sweep in a process of its own, so that heartbeat.int.test.ts can kill it for real (SIGKILL
// mid-run: no finally blocks, no clean disconnect). Usage, with the test's environment:
//   node --conditions=react-server --import tsx lib/sweep/run-sweep.child.ts <trigger> <batchSize>
import { runSweep } from "./run-sweep";

const [trigger, batchSize] = process.argv.slice(2);
if (!trigger || !batchSize) throw new Error("usage: run-sweep.child.ts <trigger> <batchSize>");
const summary = await runSweep({ trigger, batchSize: Number(batchSize) });
console.log(JSON.stringify(summary));
process.exit(0);
