// Keyward's log lines for a person at a terminal: time, level, message, then the other fields as
// key=value. A dozen lines instead of pino-pretty, which would be a dependency of the running
// server for the sake of a developer's terminal.

const LEVEL_LABEL: Record<string, string> = {
  trace: "TRACE",
  debug: "DEBUG",
  info: "INFO ",
  warn: "WARN ",
  error: "ERROR",
  fatal: "FATAL",
};
const SKIP = new Set(["level", "time", "msg", "pid", "err"]);

export function prettyLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = typeof entry.time === "string" ? entry.time.slice(11, 23) : "";
  const level = LEVEL_LABEL[String(entry.level)] ?? String(entry.level).toUpperCase();
  const fields = Object.entries(entry)
    .filter(([name]) => !SKIP.has(name))
    .map(([name, value]) => `${name}=${typeof value === "string" ? value : JSON.stringify(value)}`);
  const err = entry.err as { stack?: string; message?: string } | undefined;
  const stack = err ? `\n    ${(err.stack ?? err.message ?? "").split("\n").join("\n    ")}` : "";
  return `${time} ${level} ${String(entry.msg ?? "")}${fields.length ? `  ${fields.join(" ")}` : ""}${stack}\n`;
}
