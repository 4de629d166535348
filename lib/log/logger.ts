// Keyward's log: one JSON object per line on stdout (pino), at LOG_LEVEL and above, for a log
// shipper to read; human-readable lines instead when stdout is a terminal. Every line written
// while a request is served carries its id (reqId, the X-Request-Id the answer returns), from
// the request context Keyward's server opens (server/front.ts). One logger per process, kept on
// globalThis like lib/process/lifecycle.ts: the server is loaded by Node and the routes by Next's
// bundler, and both must write through one stream in one order.
//
// What is never logged: a key, a token, a password, a cookie, an email's body. Callers log ids
// and counts, not inputs; the redaction below is the net under that rule, for fields that
// carry such values by name (a header object, a parsed body).
import { AsyncLocalStorage } from "node:async_hooks";
import pino from "pino";
import { prettyLine } from "./pretty";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** What the server knows of the request being served, for every line logged while serving it. */
export interface RequestContext {
  reqId: string;
}

interface LogState {
  logger: pino.Logger;
  requests: AsyncLocalStorage<RequestContext>;
}

const KEY = Symbol.for("keyward.log");

/** Field names whose values are secrets wherever they appear (one level deep, and in headers). */
const REDACT = [
  "password",
  "newPassword",
  "currentPassword",
  "token",
  "key",
  "plaintext",
  "secret",
  "cookie",
  "authorization",
  "text",
  "html",
  "*.password",
  "*.token",
  "*.key",
  "*.plaintext",
  "*.secret",
  "*.cookie",
  "*.authorization",
  "*.text",
  "*.html",
  'headers["set-cookie"]',
];

function levelOf(value: string | undefined): LogLevel {
  const level = value?.trim().toLowerCase();
  return (LOG_LEVELS as readonly string[]).includes(level ?? "") ? (level as LogLevel) : "info";
}

function create(): LogState {
  const requests = new AsyncLocalStorage<RequestContext>();
  const options: pino.LoggerOptions = {
    level: levelOf(process.env.LOG_LEVEL),
    base: { pid: process.pid },
    messageKey: "msg",
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACT, censor: "[redacted]" },
    mixin: () => requests.getStore() ?? {},
  };
  // A terminal gets lines a person reads; anything else (a pipe, a file, a container's log
  // driver) gets the JSON. Synchronous writes: a line is out before a crash or process.exit.
  const logger = process.stdout.isTTY
    ? pino(options, { write: (line: string) => void process.stdout.write(prettyLine(line)) })
    : pino(options, pino.destination({ dest: 1, sync: true }));
  return { logger, requests };
}

function state(): LogState {
  const holder = globalThis as { [KEY]?: LogState };
  return (holder[KEY] ??= create());
}

/** The process's logger. `log.error({ err }, "what failed")`: errors go under `err`. */
export const log: pino.Logger = state().logger;

/** Runs `serve` with `context` attached to every line logged inside it, however deep. */
export function withRequestContext<T>(context: RequestContext, serve: () => T): T {
  return state().requests.run(context, serve);
}

/** The id of the request being served here, if any. */
export function currentRequestId(): string | undefined {
  return state().requests.getStore()?.reqId;
}
