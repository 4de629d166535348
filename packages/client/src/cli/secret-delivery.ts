// Where a new key's or token's plaintext goes: into an env file (--write-env), onto stdout
// (--show-secret), or both; never nowhere, since Keyward shows it once and keeps only a hash.
import { UsageError } from "./exit-codes.js";
import { parseEnvTarget, prepareEnvWrite, type EnvTarget } from "./env-file.js";
import type { Output } from "./output.js";

export interface SecretDestination {
  writeEnv?: EnvTarget;
  showSecret: boolean;
}

export function secretDestination(
  values: { "write-env"?: string; "show-secret"?: boolean },
  what: string,
): SecretDestination {
  const writeEnv = values["write-env"] === undefined ? undefined : parseEnvTarget(values["write-env"]);
  const showSecret = values["show-secret"] === true;
  if (!writeEnv && !showSecret) {
    throw new UsageError(
      `the new ${what} is shown only once: pass --write-env FILE:VARIABLE to store it, or --show-secret to print it`,
    );
  }
  return { writeEnv, showSecret };
}

export class SecretNotWritten extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = "SecretNotWritten";
  }
}

/**
 * Runs `create` (the server call that returns a plaintext) between making sure the env file can
 * be written and writing it. `lost` says what to do when the write fails after all.
 */
export async function deliverSecret<R extends { plaintext: string }>(
  destination: SecretDestination,
  out: Output,
  create: () => Promise<R>,
  lost: (result: R) => string,
): Promise<{ result: R; wrote: string | undefined }> {
  const write = destination.writeEnv ? await prepareEnvWrite(destination.writeEnv) : undefined;
  let result: R;
  try {
    result = await create();
  } catch (error) {
    await write?.abort();
    throw error;
  }
  if (destination.showSecret) out.secret(result.plaintext);
  if (write) {
    try {
      await write.commit(result.plaintext);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new SecretNotWritten(`could not write ${destination.writeEnv!.file}: ${why}. ${lost(result)}`, {
        cause: error,
      });
    }
  }
  return { result, wrote: write?.path };
}
