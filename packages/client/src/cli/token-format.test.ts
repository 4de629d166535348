// The CLI's check of a token before saving it must agree with Keyward's own format (lib/keys/format.ts).
import { describe, expect, it } from "vitest";
import { generateKey } from "@/lib/keys/format";
import { tokenFormatProblem } from "./token-format";

describe("tokenFormatProblem", () => {
  it("accepts tokens made by Keyward's generator with the kwt prefix", () => {
    for (let i = 0; i < 50; i++) expect(tokenFormatProblem(generateKey("kwt").plaintext)).toBeNull();
  });

  it("names what is wrong: a key for a token, a wrong length, a mistyped character", () => {
    expect(tokenFormatProblem(generateKey("kw").plaintext)).toMatch(/API key/);
    expect(tokenFormatProblem("kwt_short")).toMatch(/36 letters/);
    const token = generateKey("kwt").plaintext;
    const typo = `${token.slice(0, 10)}${token[10] === "a" ? "b" : "a"}${token.slice(11)}`;
    expect(tokenFormatProblem(typo)).toMatch(/checksum/);
  });
});
