import { describe, expect, it } from "vitest";
import { checkTarget, isPublicAddress } from "./target-guard";

describe("webhook targets", () => {
  it("only public unicast addresses are public", () => {
    for (const address of ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "::1", "fe80::1", "fc00::1", "0.0.0.0", "100.64.0.1", "::ffff:127.0.0.1", "224.0.0.1"]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
    for (const address of ["8.8.8.8", "1.1.1.1", "2001:4860:4860::8888"]) expect(isPublicAddress(address), address).toBe(true);
  });

  it("refuses a URL whose host is (or resolves to) a private address, unless allowed", async () => {
    await expect(checkTarget(new URL("http://127.0.0.1:8080/hook"), false)).rejects.toThrow(/not a public address/);
    await expect(checkTarget(new URL("http://[::1]/hook"), false)).rejects.toThrow(/not a public address/);
    await expect(checkTarget(new URL("http://localhost/hook"), false)).rejects.toThrow(/not a public address/);
    await expect(checkTarget(new URL("http://127.0.0.1:8080/hook"), true)).resolves.toBeUndefined();
  });
});
