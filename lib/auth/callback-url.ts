// Where to send someone after sign-in or sign-up. Only somewhere on Keyward itself: the value
// comes from a URL anyone can craft, and browsers forgive a lot ("/\t/evil.example" is
// "//evil.example" once the tab is dropped). So the raw value must be a plain path (no control
// characters, no backslashes), and resolved against APP_URL it must stay on APP_URL's origin.

export const DEFAULT_CALLBACK = "/keys";
const MAX_LENGTH = 2000;

export function safeCallbackUrl(raw: unknown, appUrl: string): string {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > MAX_LENGTH) return DEFAULT_CALLBACK;
  // C0 controls, DEL and the C1 range; backslashes; and anything not starting at the root.
  if (/[\u0000-\u001f\u007f-\u009f\\]/.test(raw) || !raw.startsWith("/") || raw.startsWith("//"))
    return DEFAULT_CALLBACK;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return DEFAULT_CALLBACK;
  }
  // Encoded forms of the same tricks ("/%09/evil", "/%5C%5Cevil") are refused as well.
  if (/[\u0000-\u001f\u007f-\u009f\\]/.test(decoded) || decoded.startsWith("//")) return DEFAULT_CALLBACK;
  const base = new URL(appUrl);
  let resolved: URL;
  try {
    resolved = new URL(raw, base);
  } catch {
    return DEFAULT_CALLBACK;
  }
  if (resolved.origin !== base.origin) return DEFAULT_CALLBACK;
  return `${resolved.pathname}${resolved.search}${resolved.hash}`;
}
