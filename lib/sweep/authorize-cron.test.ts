import { describe, expect, it } from "vitest";
import { KeywardError } from "@/lib/errors";
import { authorizeCron } from "./authorize-cron";

const SECRET = "s3cret-s3cret-s3cret";

function codeOf(fn: () => void): string | null {
  try {
    fn();
    return null;
  } catch (error) {
    return (error as KeywardError).code;
  }
}

describe("authorizeCron", () => {
  it("accepts the exact secret", () => {
    expect(codeOf(() => authorizeCron(`Bearer ${SECRET}`, SECRET))).toBeNull();
  });

  it("refuses a missing, wrong, prefixed or differently-cased secret", () => {
    for (const header of [null, "", SECRET, `Bearer ${SECRET}x`, `Bearer ${SECRET.toUpperCase()}`, `Basic ${SECRET}`]) {
      expect(codeOf(() => authorizeCron(header, SECRET))).toBe("UNAUTHORIZED");
    }
  });

  it("stays disabled without a secret of at least 16 characters", () => {
    expect(codeOf(() => authorizeCron("Bearer short", "short"))).toBe("SERVICE_UNAVAILABLE");
    expect(codeOf(() => authorizeCron("Bearer x", undefined))).toBe("SERVICE_UNAVAILABLE");
  });
});
