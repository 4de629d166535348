// The security headers, read off real responses: a page's Content-Security-Policy carries the
// nonce its own scripts carry (so the portal works under it: e2e runs with it too), and every
// response says nosniff, no framing, and its referrer policy.
import { describe, expect, it } from "vitest";
import { testEnv } from "@/test-support/env";

describe("security headers", () => {
  it("pages: a nonce-based CSP whose nonce is on every script, no framing, nosniff", async () => {
    const response = await fetch(`${testEnv.baseUrl}/sign-in`);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("unsafe-eval");
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    const html = await response.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
    // A new nonce for every response.
    const again = (await fetch(`${testEnv.baseUrl}/sign-in`)).headers.get("content-security-policy");
    expect(again).not.toBe(csp);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    // Plain http here: no HSTS (it is sent when APP_URL is https; server/front.test.ts).
    expect(response.headers.get("strict-transport-security")).toBeNull();
  });

  it("API responses: nosniff, no framing", async () => {
    for (const path of ["/api/health", "/api/v1/keys"]) {
      const response = await fetch(`${testEnv.baseUrl}${path}`);
      expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(response.headers.get("x-frame-options"), path).toBe("DENY");
    }
  });
});
