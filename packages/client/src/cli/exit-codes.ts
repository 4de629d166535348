// What `keyward` exits with, so a CI step can tell a refusal from an outage. Documented in the
// package README; changing a number breaks scripts that test for it.
import { KeywardApiError } from "../errors.js";

export const EXIT = {
  OK: 0,
  /** Anything else: Keyward unreachable or failing (5xx), a file that could not be written. */
  ERROR: 1,
  /** The command line is wrong (unknown command or option, missing argument). */
  USAGE: 2,
  /** No credentials, or Keyward refused the token (401: unknown, malformed, expired, revoked). */
  AUTH: 3,
  /** The token lacks the scope or the right (403). */
  FORBIDDEN: 4,
  /** No such key or token (404; also someone else's). */
  NOT_FOUND: 5,
  /** Keyward refused the request as it stands (409 conflict, 422 invalid input). */
  REFUSED: 6,
  /** Rate-limited (429): try again after a while. */
  RATE_LIMITED: 7,
} as const;

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return EXIT.USAGE;
  if (error instanceof CredentialsError) return EXIT.AUTH;
  if (!(error instanceof KeywardApiError)) return EXIT.ERROR;
  switch (error.status) {
    case 401:
      return EXIT.AUTH;
    case 403:
      return EXIT.FORBIDDEN;
    case 404:
      return EXIT.NOT_FOUND;
    case 400:
    case 409:
    case 422:
      return EXIT.REFUSED;
    case 429:
      return EXIT.RATE_LIMITED;
    default:
      return EXIT.ERROR;
  }
}

/** A command line that cannot run: said before anything is sent. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Nothing to authenticate with: no --token, no KEYWARD_TOKEN, no `keyward login`. */
export class CredentialsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CredentialsError";
  }
}
