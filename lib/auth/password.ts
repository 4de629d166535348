// Password hashing with scrypt (memory-hard, in Node's standard library, so no native addon).
// Format: scrypt$<logN>$<r>$<p>$<salt b64>$<hash b64>, so parameters can be raised later.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { KeywardError } from "../errors";

const LOG_N = 15; // N = 32768 → 32 MiB per hash with r = 8
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

// Each hash holds 32 MiB and a thread-pool thread for ~50 ms. A burst of sign-ins (or a flood
// that beats the throttle by arriving all at once) waits its turn here, and past a short queue
// is refused, instead of taking every core and a gigabyte of memory.
export const MAX_CONCURRENT_HASHES = 4;
const MAX_WAITING_HASHES = 64;
let running = 0;
const waiting: (() => void)[] = [];

async function inSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT_HASHES) {
    if (waiting.length >= MAX_WAITING_HASHES) {
      throw new KeywardError("RATE_LIMITED", "Too many password checks at once. Try again in a moment.", undefined, {
        retryAfterSeconds: 1,
      });
    }
    await new Promise<void>((go) => waiting.push(go));
  }
  running += 1;
  try {
    return await work();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

function derive(password: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** logN, r, p, maxmem: 256 * 2 ** logN * r };
  return inSlot(
    () =>
      new Promise((resolve, reject) =>
        scrypt(password.normalize("NFKC"), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))),
      ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, LOG_N, R, P);
  return ["scrypt", LOG_N, R, P, salt.toString("base64"), hash.toString("base64")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [algorithm, logN, r, p, salt, hash] = stored.split("$");
  if (algorithm !== "scrypt" || !logN || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64");
  const actual = await derive(password, Buffer.from(salt, "base64"), Number(logN), Number(r), Number(p));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Spends the same time as a real check, so unknown emails can't be told apart by timing. */
export async function burnPasswordCheck(password: string): Promise<void> {
  await derive(password, Buffer.alloc(16), LOG_N, R, P);
}
