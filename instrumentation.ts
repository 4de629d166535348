// Runs once when the server starts (Node.js runtime only; see lib/startup/on-start.ts).
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { onServerStart } = await import("@/lib/startup/on-start");
    onServerStart();
  }
}
