// A WebAuthn authenticator in software, for tests: it makes real credentials (EC P-256 keys from
// node:crypto), real 'none' attestations (CBOR, through the same small library the server decodes
// with) and real ES256 assertions, so the server's checks run against genuine signatures. What a
// browser adds (clientDataJSON with the challenge and origin) is built here too, and each part can
// be made wrong on purpose: another origin, another RP id, no user verification, a stale counter.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { encodeCBOR, type CBORType } from "@levischuck/tiny-cbor";

interface Credential {
  id: Buffer;
  privateKey: KeyObject;
  rpId: string;
  userHandle: string;
  counter: number;
}

/** What a test may falsify in a ceremony. */
export interface Tamper {
  origin?: string;
  rpId?: string;
  challenge?: string;
  type?: string;
  userVerified?: boolean;
  /** Sign with a key that is not the credential's. */
  forgeSignature?: boolean;
  /** The counter this assertion reports (a clone's stale one). */
  counter?: number;
  userHandle?: string;
}

interface CreationOptions {
  challenge: string;
  rp: { id?: string };
  user: { id: string };
  excludeCredentials?: { id: string }[];
}

interface RequestOptions {
  challenge: string;
  rpId?: string;
  allowCredentials?: { id: string }[];
}

const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest();
const b64url = (data: Buffer | Uint8Array) => Buffer.from(data).toString("base64url");
const uint32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

const UP = 0x01;
const UV = 0x04;
const AT = 0x40;

export class SoftwareAuthenticator {
  readonly credentials: Credential[] = [];

  /** `origin`: where the "browser" says the page is (the app's APP_URL origin). */
  constructor(readonly origin: string) {}

  /** navigator.credentials.create(): a new discoverable credential, as startRegistration() returns it. */
  register(options: CreationOptions, tamper: Tamper = {}) {
    const rpId = options.rp.id ?? new URL(this.origin).hostname;
    if (options.excludeCredentials?.some((c) => this.credentials.some((own) => b64url(own.id) === c.id))) {
      throw new Error("InvalidStateError: this authenticator already holds a credential for the account");
    }
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const id = randomBytes(32);
    const jwk = publicKey.export({ format: "jwk" });
    // COSE_Key: kty EC2 (2), alg ES256 (-7), crv P-256 (1), x, y.
    const coseKey = encodeCBOR(
      new Map<number, number | Uint8Array>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x!, "base64url")],
        [-3, Buffer.from(jwk.y!, "base64url")],
      ]),
    );
    const flags = UP | AT | (tamper.userVerified === false ? 0 : UV);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(id.length);
    const authData = Buffer.concat([
      sha256(tamper.rpId ?? rpId),
      Buffer.from([flags]),
      uint32(0),
      Buffer.alloc(16),
      idLength,
      id,
      Buffer.from(coseKey),
    ]);
    const clientDataJSON = this.clientData(
      tamper.type ?? "webauthn.create",
      tamper.challenge ?? options.challenge,
      tamper.origin,
    );
    const attestationObject = encodeCBOR(
      new Map<string, CBORType>([
        ["fmt", "none"],
        ["attStmt", new Map<string, CBORType>()],
        ["authData", authData],
      ]),
    );
    this.credentials.push({ id, privateKey, rpId, userHandle: options.user.id, counter: 0 });
    return {
      id: b64url(id),
      rawId: b64url(id),
      type: "public-key" as const,
      response: {
        clientDataJSON: b64url(clientDataJSON),
        attestationObject: b64url(attestationObject),
        transports: ["internal" as const],
      },
      authenticatorAttachment: "platform" as const,
      clientExtensionResults: { credProps: { rk: true } },
    };
  }

  /**
   * navigator.credentials.get(): an assertion by `credentialId`, or else by a credential the
   * options allow, or else (discoverable sign-in) the newest one this authenticator holds for the RP.
   */
  authenticate(options: RequestOptions, tamper: Tamper = {}, credentialId?: string) {
    const rpId = options.rpId ?? new URL(this.origin).hostname;
    const allowed = options.allowCredentials?.map((c) => c.id) ?? [];
    const credential = [...this.credentials]
      .reverse()
      .find((c) =>
        credentialId
          ? b64url(c.id) === credentialId
          : allowed.length
            ? allowed.includes(b64url(c.id))
            : c.rpId === rpId,
      );
    if (!credential) throw new Error("NotAllowedError: no credential for this request");
    credential.counter += 1;
    const counter = tamper.counter ?? credential.counter;
    const flags = UP | (tamper.userVerified === false ? 0 : UV);
    const authData = Buffer.concat([sha256(tamper.rpId ?? rpId), Buffer.from([flags]), uint32(counter)]);
    const clientDataJSON = this.clientData(
      tamper.type ?? "webauthn.get",
      tamper.challenge ?? options.challenge,
      tamper.origin,
    );
    const key = tamper.forgeSignature
      ? generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey
      : credential.privateKey;
    // ES256 as WebAuthn carries it: ECDSA over authData ‖ SHA-256(clientDataJSON), DER-encoded.
    const signature = sign("sha256", Buffer.concat([authData, sha256(clientDataJSON)]), key);
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: "public-key" as const,
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        userHandle: tamper.userHandle ?? credential.userHandle,
      },
      authenticatorAttachment: "platform" as const,
      clientExtensionResults: {},
    };
  }

  private clientData(type: string, challenge: string, origin = this.origin): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }
}
