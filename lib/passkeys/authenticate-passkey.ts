import "server-only";
import {
  generateAuthenticationOptions,
  verifyAuthenticationResponse,
  type PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/server";
import { prisma } from "@/lib/db/client";
import { challengeOf, CHALLENGE_TTL_MS, storeChallenge, takeChallenge } from "./challenges";
import { encodedUserHandleOf, relyingParty } from "./relying-party";
import { ZAuthenticationResponse, type TAuthenticationResponse } from "./schemas";

/**
 * Options for navigator.credentials.get(). Without a user: no allowCredentials, so the browser
 * offers the discoverable passkeys it holds for this site (sign-in with a passkey alone, user
 * verification required). For a user (a second factor after the password): their passkeys, and
 * user verification only preferred, since the password is the other factor.
 */
export async function authenticationOptions(
  userId: string | null = null,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const allowCredentials = userId
    ? (await prisma.passkey.findMany({ where: { userId }, select: { credentialId: true, transports: true } })).map(
        (p) => ({ id: p.credentialId, transports: p.transports }),
      )
    : undefined;
  const options = await generateAuthenticationOptions({
    rpID: relyingParty().id,
    allowCredentials,
    userVerification: userId ? "preferred" : "required",
    timeout: CHALLENGE_TTL_MS,
  });
  await storeChallenge(options.challenge, "AUTHENTICATE", userId);
  return options;
}

export type AssertionCheck =
  | { ok: true; userId: string; email: string; passkeyId: string }
  | { ok: false; reason: string; userId?: string; email?: string };

/**
 * Whether an assertion is a genuine answer to a challenge Keyward issued, signed by a passkey it
 * holds: the challenge is taken (single use, unexpired), the passkey's owner is a live person, the
 * origin and RP id are ours, the signature verifies under the stored public key, the user handle
 * (when sent) is the owner's, and the signature counter grows (a counter that does not is a cloned
 * authenticator). `forUser`: the passkey must be that account's.
 */
export async function checkAssertion(
  raw: unknown,
  options: { forUser?: string; requireUserVerification: boolean },
): Promise<AssertionCheck> {
  const parsed = ZAuthenticationResponse.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: "not a WebAuthn assertion" };
  const assertion: TAuthenticationResponse = parsed.data;
  const challenge = challengeOf(assertion.response.clientDataJSON);
  if (!challenge) return { ok: false, reason: "no challenge in the client data" };
  // Taken before anything else is looked at: an answer that fails later has still used it.
  const issued = await takeChallenge(challenge, "AUTHENTICATE");
  const passkey = await prisma.passkey.findUnique({
    where: { credentialId: assertion.id },
    select: {
      id: true,
      userId: true,
      credentialId: true,
      publicKey: true,
      counter: true,
      transports: true,
      user: { select: { email: true, deletedAt: true, kind: true } },
    },
  });
  // Whose passkey was tried, for the audit log (a replay names its victim).
  const who = passkey ? { userId: passkey.userId, email: passkey.user.email } : {};
  if (!issued) return { ok: false, reason: "challenge unknown, used or expired", ...who };
  if (!passkey) return { ok: false, reason: "unknown passkey" };
  if (options.forUser !== undefined && passkey.userId !== options.forUser)
    return { ok: false, reason: "another account's passkey" };
  if (issued.userId !== null && issued.userId !== passkey.userId)
    return { ok: false, reason: "challenge issued to another account" };
  if (passkey.user.deletedAt || passkey.user.kind !== "PERSON") return { ok: false, reason: "account closed", ...who };
  if (
    assertion.response.userHandle !== undefined &&
    assertion.response.userHandle !== encodedUserHandleOf(passkey.userId)
  ) {
    return { ok: false, reason: "user handle is not the passkey owner's", ...who };
  }
  const rp = relyingParty();
  let info: Awaited<ReturnType<typeof verifyAuthenticationResponse>>["authenticationInfo"];
  try {
    const verification = await verifyAuthenticationResponse({
      response: assertion,
      expectedChallenge: issued.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: {
        id: passkey.credentialId,
        publicKey: new Uint8Array(passkey.publicKey),
        counter: Number(passkey.counter),
        transports: passkey.transports,
      },
      requireUserVerification: options.requireUserVerification,
    });
    if (!verification.verified) return { ok: false, reason: "signature does not verify", ...who };
    info = verification.authenticationInfo;
  } catch (error) {
    return {
      ok: false,
      reason: `refused: ${error instanceof Error ? error.message.slice(0, 200) : "does not verify"}`,
      ...who,
    };
  }
  // Compare-and-set: of two answers with the same counter (a clone racing its original), one wins.
  // Authenticators that keep no counter send 0 every time, and may.
  const counter = BigInt(info.newCounter);
  const moved = await prisma.$executeRaw`
    UPDATE "Passkey" SET counter = ${counter}, "lastUsedAt" = now(), "backedUp" = ${info.credentialBackedUp}
    WHERE id = ${passkey.id} AND (counter < ${counter} OR (counter = 0 AND ${counter} = 0))`;
  if (moved !== 1) return { ok: false, reason: "signature counter did not grow (a cloned authenticator?)", ...who };
  return { ok: true, passkeyId: passkey.id, userId: passkey.userId, email: passkey.user.email };
}

/**
 * A passkey as the second factor: true when `assertion` (startAuthentication()'s JSON, parsed)
 * answers a challenge from authenticationOptions(userId) or (userId null) and is signed by one of
 * that user's passkeys. Each challenge proves once.
 */
export async function provePasskey(userId: string, assertion: unknown): Promise<boolean> {
  return (await checkAssertion(assertion, { forUser: userId, requireUserVerification: false })).ok;
}
