import { describe, expect, it } from "vitest";
import { BASE62, checkKeyFormat, checksum, generateKey, hashKey } from "./format";

describe("key format", () => {
  it("generates keys that pass their own checksum", () => {
    for (let i = 0; i < 200; i++) {
      const key = generateKey("kw");
      expect(key.plaintext).toMatch(/^kw_[0-9A-Za-z]{36}$/);
      expect(checkKeyFormat(key.plaintext, "kw")).toBeNull();
      expect(key.hash).toBe(hashKey(key.plaintext));
      expect(key.displayPrefix).toBe(key.plaintext.slice(0, 7));
      expect(key.last4).toBe(key.plaintext.slice(-4));
    }
  });

  it("never generates the same key twice", () => {
    const seen = new Set(Array.from({ length: 2000 }, () => generateKey("kw").plaintext));
    expect(seen.size).toBe(2000);
  });

  it("rejects any single changed character by checksum", () => {
    const { plaintext } = generateKey("kw");
    const body = plaintext.slice(3);
    for (let i = 0; i < body.length; i++) {
      const replacement = BASE62[(BASE62.indexOf(body[i]!) + 1) % 62];
      const changed = `kw_${body.slice(0, i)}${replacement}${body.slice(i + 1)}`;
      expect(checkKeyFormat(changed, "kw")).toBe("checksum");
    }
  });

  it("names what is wrong: prefix, length, alphabet", () => {
    const { plaintext } = generateKey("kw");
    expect(checkKeyFormat(plaintext, "acme")).toBe("prefix");
    expect(checkKeyFormat(`xx${plaintext.slice(2)}`, "kw")).toBe("prefix");
    expect(checkKeyFormat(plaintext.slice(0, -1), "kw")).toBe("length");
    expect(checkKeyFormat(`${plaintext}A`, "kw")).toBe("length");
    expect(checkKeyFormat(`${plaintext.slice(0, 10)}-${plaintext.slice(11)}`, "kw")).toBe("alphabet");
    expect(checkKeyFormat("", "kw")).toBe("prefix");
  });

  it("encodes the CRC32 in exactly six base62 characters", () => {
    expect(checksum("0".repeat(30))).toHaveLength(6);
    expect(checksum("z".repeat(30))).toMatch(/^[0-9A-Za-z]{6}$/);
  });
});
