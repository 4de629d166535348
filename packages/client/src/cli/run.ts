// `keyward`: the command table, argument parsing (node:util's parseArgs: no dependency), and how
// failures become messages and exit codes (exit-codes.ts).
import { parseArgs, type ParseArgsConfig } from "node:util";
import { KeywardApiError, KeywardConnectionError } from "../errors.js";
import { login, logout } from "./commands/login.js";
import { issueKey, listKeys, revokeKey, rotateKey, showKey } from "./commands/keys.js";
import { issueToken, listTokens, revokeToken, rotateToken } from "./commands/tokens.js";
import { makeContext, type CommandContext } from "./context.js";
import { CredentialsError, EXIT, exitCodeFor, UsageError } from "./exit-codes.js";
import { Output, type Io } from "./output.js";
import { VERSION } from "./version.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

interface Command {
  usage: string;
  options: Options;
  run(ctx: CommandContext): Promise<void>;
}

const GLOBAL: Options = {
  json: { type: "boolean" },
  url: { type: "string" },
  token: { type: "string" },
  help: { type: "boolean", short: "h" },
};
const SECRET: Options = { "write-env": { type: "string" }, "show-secret": { type: "boolean" } };
const ISSUE: Options = {
  name: { type: "string" },
  scopes: { type: "string" },
  expires: { type: "string" },
  team: { type: "string" },
  ...SECRET,
};
const ROTATE: Options = { grace: { type: "string" }, "if-expires-within": { type: "string" }, ...SECRET };

const COMMANDS: Record<string, Command> = {
  login: { usage: "login --url <url> --token <kwt_…|->", options: {}, run: login },
  logout: { usage: "logout", options: {}, run: logout },
  "keys list": {
    usage: "keys list [--tab active|expiring|blacklisted|all] [--team <id>] [--page <n>]",
    options: { tab: { type: "string" }, team: { type: "string" }, page: { type: "string" } },
    run: listKeys,
  },
  "keys show": { usage: "keys show <id>", options: {}, run: showKey },
  "keys issue": {
    usage:
      "keys issue --name <name> --scopes <a,b> [--expires 30d|<date>|never] [--team <id>] (--write-env FILE:VAR | --show-secret)",
    options: ISSUE,
    run: issueKey,
  },
  "keys rotate": {
    usage:
      "keys rotate <id> [--grace none|1h|24h|7d|until-expiry] [--expires …] [--if-expires-within 7d] (--write-env FILE:VAR | --show-secret)",
    options: { ...ROTATE, expires: { type: "string" } },
    run: rotateKey,
  },
  "keys revoke": { usage: "keys revoke <id> [--note <text>]", options: { note: { type: "string" } }, run: revokeKey },
  "tokens list": { usage: "tokens list [--team <id>]", options: { team: { type: "string" } }, run: listTokens },
  "tokens issue": {
    usage:
      "tokens issue --name <name> --scopes <keys:read,…> [--expires 30d|<date>|never] [--team <id>] (--write-env FILE:VAR | --show-secret)",
    options: ISSUE,
    run: issueToken,
  },
  "tokens revoke": {
    usage: "tokens revoke <id> [--note <text>]",
    options: { note: { type: "string" } },
    run: revokeToken,
  },
  "tokens rotate": {
    usage:
      "tokens rotate (<id> [--if-expires-within 7d] | --self) [--grace none|1h|24h|7d] (--write-env FILE:VAR | --show-secret)",
    options: { ...ROTATE, self: { type: "boolean" } },
    run: rotateToken,
  },
};

const HELP = `keyward ${VERSION}: manage Keyward API keys and tokens

Usage: keyward <command> [options]

${Object.values(COMMANDS)
  .map((c) => `  keyward ${c.usage}`)
  .join("\n")}

Everywhere: --json (one JSON document on stdout), --url <url> and --token <kwt_…> (else
KEYWARD_URL and KEYWARD_TOKEN, else what \`keyward login\` saved), -h/--help.
A new key or token is printed only with --show-secret (alone on stdout, unless --json).
--grace defaults to none: the old key stops at once. Give a job's rotation a grace period.
Exit codes: 0 ok, 1 error (Keyward unreachable or failing, a file not written), 2 usage,
3 no credentials or token refused (401), 4 forbidden (403), 5 not found (404),
6 refused as invalid or conflicting (409, 422), 7 rate-limited (429).
`;

export async function run(argv: string[], io: Io): Promise<number> {
  const json = argv.includes("--json");
  const out = new Output(io, json, argv.includes("--show-secret"));
  try {
    if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
      io.stdout(HELP);
      return argv.length === 0 ? EXIT.USAGE : EXIT.OK;
    }
    if (argv[0] === "--version" || argv[0] === "-v") {
      io.stdout(`${VERSION}\n`);
      return EXIT.OK;
    }
    const { name, command, rest } = findCommand(argv);
    const { values, positionals } = parse(name, command, rest);
    if (values.help) {
      io.stdout(`Usage: keyward ${command.usage}\n`);
      return EXIT.OK;
    }
    await command.run(makeContext(positionals, values, out, io));
    return EXIT.OK;
  } catch (error) {
    report(error, out, io);
    return exitCodeFor(error);
  }
}

function findCommand(argv: string[]): { name: string; command: Command; rest: string[] } {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(" ");
    const command = COMMANDS[name];
    if (command) return { name, command, rest: argv.slice(words) };
  }
  const group = Object.keys(COMMANDS).filter((n) => n.startsWith(`${argv[0]} `));
  if (group.length)
    throw new UsageError(
      `"${argv.slice(0, 2).join(" ")}" is not a command; try ${group.map((n) => `"${n}"`).join(", ")}`,
    );
  throw new UsageError(`"${argv[0]}" is not a command (keyward --help lists them)`);
}

function parse(name: string, command: Command, args: string[]) {
  try {
    const parsed = parseArgs({
      args,
      options: { ...GLOBAL, ...command.options },
      allowPositionals: true,
      strict: true,
    });
    return { values: parsed.values as CommandContext["values"], positionals: parsed.positionals };
  } catch (error) {
    throw new UsageError(
      `${name}: ${error instanceof Error ? error.message : String(error)}\nUsage: keyward ${command.usage}`,
    );
  }
}

function report(error: unknown, out: Output, io: Io): void {
  if (out.json) {
    const problem =
      error instanceof KeywardApiError ? error.problem : { code: errorKind(error), detail: message(error) };
    io.stderr(`${JSON.stringify({ error: problem })}\n`);
    return;
  }
  io.stderr(`keyward: ${message(error)}\n`);
  if (error instanceof KeywardApiError && error.renewUrl) io.stderr(`keyward: renew it at ${error.renewUrl}\n`);
}

function message(error: unknown): string {
  if (error instanceof KeywardApiError) {
    const fields = error.errors?.map((e) => `${e.path}: ${e.message}`).join("; ");
    const scope = error.requiredScope ? ` (the token needs the scope ${error.requiredScope})` : "";
    return `${error.code}: ${error.detail}${scope}${fields ? ` [${fields}]` : ""}`;
  }
  if (error instanceof KeywardConnectionError) return `could not reach Keyward: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

function errorKind(error: unknown): string {
  if (error instanceof UsageError) return "USAGE";
  if (error instanceof KeywardConnectionError) return "CONNECTION";
  return error instanceof CredentialsError ? "NO_CREDENTIALS" : "ERROR";
}
