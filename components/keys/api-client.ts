// The browser's calls to Keyward's own API: same routes, same authorization as any client.
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly fieldErrors: { path: string; message: string }[] = [],
    /** The problem's code (e.g. REAUTH_REQUIRED), when the answer had one. */
    readonly code?: string,
  ) {
    super(message);
  }
}

/** What a refusal says, once: its detail, then each field's message that is not the same words. */
export function refusalText(error: unknown, fallback: string): string {
  if (!(error instanceof ApiError)) return fallback;
  const fields = error.fieldErrors.map((f) => f.message).filter((m) => m !== error.message);
  return [error.message, ...new Set(fields)].join(" ");
}

/**
 * Sudo mode: asks the person to prove it is them again (the portal's re-auth dialog registers
 * itself here), resolving true once they did, false when they gave up.
 */
type Reauthenticate = () => Promise<boolean>;
let reauthenticate: Reauthenticate | null = null;

export function setReauthenticate(handler: Reauthenticate | null): void {
  reauthenticate = handler;
}

/** Opens the re-auth dialog when the session needs it before a dangerous action; true to go on. */
export async function ensureRecentAuth(): Promise<boolean> {
  const response = await fetch("/api/v1/me/reauth");
  const data = (await response.json().catch(() => null)) as { recentAuthUntil?: string | null } | null;
  if (!response.ok || data?.recentAuthUntil) return true; // a refusal here is the action's to tell
  return reauthenticate ? reauthenticate() : false;
}

export async function callApi<T>(
  method: "GET" | "POST" | "PATCH" | "DELETE",
  path: string,
  body?: unknown,
): Promise<T> {
  const send = () =>
    fetch(path, {
      method,
      headers: body === undefined ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  let response = await send();
  let data = await response.json().catch(() => null);
  // A dangerous action and an old sign-in: prove it is you, then the same call once more.
  if (response.status === 403 && data?.code === "REAUTH_REQUIRED" && reauthenticate && (await reauthenticate())) {
    response = await send();
    data = await response.json().catch(() => null);
  }
  if (!response.ok) {
    throw new ApiError(
      data?.detail ?? `Request failed (${response.status})`,
      response.status,
      data?.errors ?? [],
      data?.code,
    );
  }
  return data as T;
}
