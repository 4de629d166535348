import { connect } from "node:net";

/**
 * Whether a Redis server answers PING at host:port within a second. Redis is optional: tests and
 * benchmarks that need one skip their Redis part without it (CI starts one).
 */
export function redisAnswers(
  target: { host: string; port: number } = { host: "127.0.0.1", port: 6379 },
): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(target, () => socket.write("PING\r\n"));
    socket.setTimeout(1000, () => (socket.destroy(), done(false)));
    socket.once("data", (data) => (socket.destroy(), done(data.toString().startsWith("+PONG"))));
    socket.once("error", () => done(false));
  });
}
