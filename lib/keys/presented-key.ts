// Where a caller of the protected API puts its key: `Authorization: Bearer <key>` or
// `X-API-Key: <key>`. Pure; used by the gate.
export function presentedKey(headers: Headers): string | null {
  const authorization = headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match) return match[1]!;
  }
  const header = headers.get("x-api-key")?.trim();
  return header ? header : null;
}
