// An API token made the way a person makes one: signed in, through POST /api/v1/tokens.
import { expect } from "vitest";
import type { Session } from "@/test-support/http";

export interface MadeToken {
  id: string;
  plaintext: string;
}

export async function createToken(
  session: Session,
  scopes: string[],
  expiry: object = { type: "days", days: 7 },
): Promise<MadeToken> {
  const response = await session.request("POST", "/api/v1/tokens", {
    name: `sdk test ${scopes.join(" ")}`,
    scopes,
    expiry,
  });
  const json = /json/.test(response.headers.get("content-type") ?? "");
  const why = `POST /api/v1/tokens answered ${response.status}${json ? `: ${await response.clone().text()}` : ""} (these tests need the server's API tokens, issue 20 parts 1–2)`;
  expect(response.status, why).toBe(201);
  const body = (await response.json()) as { token: { id: string }; plaintext: string };
  return { id: body.token.id, plaintext: body.plaintext };
}
