import "server-only";
import {
  generateRegistrationOptions,
  verifyRegistrationResponse,
  type PublicKeyCredentialCreationOptionsJSON,
} from "@simplewebauthn/server";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { Prisma, prisma } from "@/lib/db/client";
import { KeywardError } from "@/lib/errors";
import type { SessionUser } from "@/lib/users/authenticate";
import { challengeOf, CHALLENGE_TTL_MS, storeChallenge, takeChallenge } from "./challenges";
import { PASSKEY_VIEW, toPasskeyView, type PasskeyView } from "./manage-passkeys";
import { relyingParty, userHandleOf } from "./relying-party";
import type { TRegisterPasskeyRequest } from "./schemas";

/** Passkeys one account may hold. */
export const MAX_PASSKEYS = 20;

/**
 * A passkey signs in alone, so it needs an address the owner proved: otherwise whoever squats an
 * unverified account could keep a way in after its real owner claims the address (README:
 * taking an address back), as a connected GitHub identity would.
 */
function assertMayRegister(user: SessionUser): void {
  if (!user.emailVerified) throw new KeywardError("FORBIDDEN", "Verify your address before you add a passkey.");
}

/**
 * Options for navigator.credentials.create(): a discoverable credential (residentKey required, so
 * it signs in without an address typed), user verification required, and the account's existing
 * passkeys excluded so one authenticator is not registered twice.
 */
export async function registrationOptions(user: SessionUser): Promise<PublicKeyCredentialCreationOptionsJSON> {
  assertMayRegister(user);
  const existing = await prisma.passkey.findMany({
    where: { userId: user.id },
    select: { credentialId: true, transports: true },
  });
  if (existing.length >= MAX_PASSKEYS)
    throw new KeywardError(
      "CONFLICT",
      `You have ${MAX_PASSKEYS} passkeys, the most an account may have. Remove one first.`,
    );
  const rp = relyingParty();
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.email,
    userDisplayName: user.name ?? user.email,
    userID: userHandleOf(user.id),
    attestationType: "none",
    timeout: CHALLENGE_TTL_MS,
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports })),
    authenticatorSelection: { residentKey: "required", requireResidentKey: true, userVerification: "required" },
  });
  await storeChallenge(options.challenge, "REGISTER", user.id);
  return options;
}

const refused = (why: string) => new KeywardError("BAD_REQUEST", `The passkey could not be added: ${why}`);

/** Checks the authenticator's answer against the challenge this account was given, and keeps the passkey. */
export async function registerPasskey(
  user: SessionUser,
  body: TRegisterPasskeyRequest,
  actor: Actor,
): Promise<PasskeyView> {
  assertMayRegister(user);
  const challenge = challengeOf(body.response.response.clientDataJSON);
  const issued = challenge ? await takeChallenge(challenge, "REGISTER") : null;
  if (!issued || issued.userId !== user.id) throw refused("its challenge is unknown, used or expired. Try again.");
  const rp = relyingParty();
  let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verification = await verifyRegistrationResponse({
      response: body.response,
      expectedChallenge: issued.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
    });
  } catch (error) {
    throw refused(error instanceof Error ? error.message : "its answer does not verify.");
  }
  if (!verification.verified) throw refused("its answer does not verify.");
  const { credential, credentialDeviceType, credentialBackedUp } = verification.registrationInfo;
  try {
    return await prisma.$transaction(async (tx) => {
      // The account's row, locked: two registrations at once cannot both pass the count.
      await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${user.id} FOR UPDATE`;
      if ((await tx.passkey.count({ where: { userId: user.id } })) >= MAX_PASSKEYS) {
        throw new KeywardError(
          "CONFLICT",
          `You have ${MAX_PASSKEYS} passkeys, the most an account may have. Remove one first.`,
        );
      }
      const passkey = await tx.passkey.create({
        data: {
          userId: user.id,
          credentialId: credential.id,
          publicKey: new Uint8Array(credential.publicKey),
          counter: BigInt(credential.counter),
          transports: credential.transports ?? body.response.response.transports ?? [],
          name: body.name,
          deviceType: credentialDeviceType,
          backedUp: credentialBackedUp,
        },
        select: PASSKEY_VIEW,
      });
      await recordAudit(tx, actor, "user.passkey_added", null, {
        passkeyId: passkey.id,
        name: passkey.name,
        deviceType: credentialDeviceType,
      });
      return toPasskeyView(passkey);
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new KeywardError("CONFLICT", "This passkey is already registered.");
    }
    throw error;
  }
}
