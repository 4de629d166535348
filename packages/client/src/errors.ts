// What a failed call throws. Keyward answers every refusal with RFC 9457 problem+json
// ({type, title, status, code, detail, errors?}, plus fields some codes add, such as an expired
// token's expiredAt and renewUrl or a missing scope's requiredScope); KeywardApiError carries all
// of it. KeywardConnectionError is the call that got no answer at all.
import type { components } from "./generated/openapi.js";

/** The codes Keyward's problems carry, with the token refusals; open for codes added later. */
export type ProblemCode =
  components["schemas"]["Problem"]["code"] | "EXPIRED" | "REVOKED" | "INSUFFICIENT_SCOPE" | (string & {});

export interface FieldError {
  path: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail: string;
  errors?: FieldError[];
  /** Fields particular to a code (expiredAt, renewUrl, requiredScope, …). */
  [field: string]: unknown;
}

export class KeywardApiError extends Error {
  readonly status: number;
  readonly code: ProblemCode;
  readonly title: string;
  readonly type: string;
  readonly detail: string;
  readonly errors: FieldError[] | undefined;
  /** The whole problem body, extra fields included. */
  readonly problem: Problem;
  /** From Retry-After, when the answer was 429 or 503 and said when to come back. */
  readonly retryAfterSeconds: number | undefined;

  constructor(problem: Problem, retryAfterSeconds?: number) {
    const fields = problem.errors?.map((e) => `${e.path}: ${e.message}`).join("; ");
    super(`${problem.code} (${problem.status}): ${problem.detail}${fields ? ` [${fields}]` : ""}`);
    this.name = "KeywardApiError";
    this.status = problem.status;
    this.code = problem.code;
    this.title = problem.title;
    this.type = problem.type;
    this.detail = problem.detail;
    this.errors = problem.errors;
    this.problem = problem;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** An expired token's end (code EXPIRED). */
  get expiredAt(): string | undefined {
    return stringField(this.problem, "expiredAt");
  }

  /** Where to renew an expired or revoked token. */
  get renewUrl(): string | undefined {
    return stringField(this.problem, "renewUrl");
  }

  /** The scope the route needs and the token lacks (code INSUFFICIENT_SCOPE). */
  get requiredScope(): string | undefined {
    return stringField(this.problem, "requiredScope");
  }
}

export class KeywardConnectionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "KeywardConnectionError";
  }
}

function stringField(problem: Problem, name: string): string | undefined {
  const value = problem[name];
  return typeof value === "string" ? value : undefined;
}
