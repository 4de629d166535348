// Just enough of a browser for HTTP-level tests of sign-in flows: one cookie jar (cookies are
// per host, not per port, as in a browser) and redirects followed by hand, across the app and
// the GitHub stand-in.
import { testEnv } from "./env";

export interface Visit {
  status: number;
  /** Where the chain of redirects ended. */
  url: string;
  text: string;
  /** Every Location this visit was sent to, in order. */
  redirects: string[];
}

export class Browser {
  private jar = new Map<string, string>();

  /** Headers sent with every request (e.g. X-Forwarded-For, to act as one client behind a proxy). */
  constructor(
    readonly baseUrl = testEnv.baseUrl,
    private readonly headers: Record<string, string> = {},
  ) {}

  get cookie(): string {
    return [...this.jar].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  /** Drops cookies, as a browser's "clear cookies" does (e.g. an OpenID provider's own session). */
  forget(name: RegExp): void {
    for (const key of [...this.jar.keys()]) if (name.test(key)) this.jar.delete(key);
  }

  hasCookie(name: RegExp): boolean {
    return [...this.jar.keys()].some((key) => name.test(key));
  }

  /** A request without following redirects. */
  async fetch(
    url: string,
    init: { method?: string; body?: string; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const response = await fetch(new URL(url, this.baseUrl), {
      method: init.method ?? "GET",
      body: init.body,
      redirect: "manual",
      headers: { ...this.headers, ...(this.jar.size ? { cookie: this.cookie } : {}), ...init.headers },
    });
    for (const set of response.headers.getSetCookie()) {
      const [pair, ...attributes] = set.split(";");
      const at = pair!.indexOf("=");
      const name = pair!.slice(0, at).trim();
      const value = pair!.slice(at + 1).trim();
      const expired =
        attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || value === "";
      if (expired) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return response;
  }

  /** A request, then its redirects (GET), until a page answers. */
  async visit(
    url: string,
    init: { method?: string; body?: string; headers?: Record<string, string> } = {},
  ): Promise<Visit> {
    let response = await this.fetch(url, init);
    let current = new URL(url, this.baseUrl).toString();
    const redirects: string[] = [];
    for (let hops = 0; response.status >= 300 && response.status < 400 && hops < 10; hops++) {
      current = new URL(response.headers.get("location")!, current).toString();
      redirects.push(current);
      response = await this.fetch(current);
    }
    return { status: response.status, url: current, text: await response.text(), redirects };
  }

  /** A form post, as a browser submits one. */
  post(url: string, form: Record<string, string>): Promise<Visit> {
    return this.visit(url, {
      method: "POST",
      body: new URLSearchParams(form).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
  }

  /** JSON to one of Keyward's routes, without following redirects. */
  json(method: string, path: string, body?: unknown): Promise<Response> {
    return this.fetch(path, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: body === undefined ? {} : { "content-type": "application/json" },
    });
  }

  async csrfToken(): Promise<string> {
    const response = await this.fetch("/api/auth/csrf");
    return ((await response.json()) as { csrfToken: string }).csrfToken;
  }

  /** Email and password through next-auth's credentials endpoint, as the sign-in form does. */
  async signIn(email: string, password: string, callbackUrl = "/keys"): Promise<Visit> {
    return this.post("/api/auth/callback/credentials", {
      csrfToken: await this.csrfToken(),
      email,
      password,
      callbackUrl,
    });
  }

  /** "Continue with GitHub": next-auth, the stand-in's instant consent, and back. */
  async signInWithGitHub(callbackUrl = "/keys"): Promise<Visit> {
    return this.post("/api/auth/signin/github", { csrfToken: await this.csrfToken(), callbackUrl });
  }

  async signOut(): Promise<Visit> {
    return this.post("/api/auth/signout", { csrfToken: await this.csrfToken(), callbackUrl: "/sign-in" });
  }

  get signedIn(): boolean {
    return this.hasCookie(/session-token$/);
  }
}
