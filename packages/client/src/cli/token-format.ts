// A token's shape, checked before it is saved: `kwt_` + 30 base62 random + 6 base62 of CRC32
// over the random part (the scheme of Keyward's keys, whose prefix is `kw_`). A typo or a key
// pasted for a token fails here, not at the first call.
import { crc32 } from "node:zlib";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const TOKEN_RE = /^kwt_([0-9A-Za-z]{30})([0-9A-Za-z]{6})$/;

function checksum(random: string): string {
  let n = crc32(random);
  let out = "";
  for (let i = 0; i < 6; i++) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

/** null for a well-formed token, else what is wrong. */
export function tokenFormatProblem(token: string): string | null {
  if (token.startsWith("kw_")) return "that is an API key (kw_…), not an API token (kwt_…)";
  const match = TOKEN_RE.exec(token);
  if (!match) return "an API token is kwt_ followed by 36 letters and digits";
  if (checksum(match[1]!) !== match[2]) return "its checksum does not match: a character was mistyped or lost";
  return null;
}
