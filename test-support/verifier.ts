// A verifier for integration tests that send `ip` to the verify route, which believes an address
// only from a caller it knows (lib/tokens): a site admin's API token with the `verify` scope,
// which answers for every key. Made once per test file.
import { seedToken, seedUser, testDb } from "./db";

let made: Promise<string> | null = null;

/** The token's plaintext, for `Authorization: Bearer …`. */
export function siteVerifier(): Promise<string> {
  made ??= (async () => {
    const admin = await seedUser(testDb(), { role: "ADMIN", name: "Test verifier" });
    return (await seedToken(testDb(), { userId: admin.id, scopes: ["verify"], name: "test verifier" })).plaintext;
  })();
  return made;
}

/** The verify route's headers for a body that may name an `ip`: a verifier's when it does. */
export async function verifyHeaders(body: { ip?: unknown }): Promise<Record<string, string>> {
  return {
    "content-type": "application/json",
    ...(body.ip === undefined ? {} : { authorization: `Bearer ${await siteVerifier()}` }),
  };
}
