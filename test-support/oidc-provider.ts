// A real OpenID Connect provider for tests: oidc-provider (the certified reference implementation)
// on 127.0.0.1, with its development login and consent pages, one confidential client for the
// Keyward servers under test, and accounts the tests define over HTTP (POST /_test/accounts): the
// login name typed on its page is the account's sub, and its claims are whatever the test set.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";
import type { Browser, Visit } from "./browser";

export interface OidcTestAccount {
  sub: string;
  email?: string;
  email_verified?: boolean | string;
  name?: string;
  groups?: string[];
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  let text = "";
  for await (const chunk of req) text += chunk;
  return text;
}

/** Starts the provider; `redirectUris` are the callbacks of the Keyward servers that use it. */
export async function startOidcProvider(redirectUris: string[]): Promise<TestOidcProvider> {
  const accounts = new Map<string, OidcTestAccount>();
  let provider: Provider | null = null;
  const server: Server = createServer(async (req, res) => {
    if (req.method === "POST" && req.url === "/_test/accounts") {
      const account = JSON.parse(await bodyOf(req)) as OidcTestAccount;
      accounts.set(account.sub, account);
      res.writeHead(200, { "content-type": "application/json" });
      return res.end('{"ok":true}');
    }
    void provider!.callback()(req, res);
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = "keyward-test";
  const clientSecret = randomBytes(24).toString("base64url");
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: "jwk" }), kid: "test", use: "sig", alg: "RS256" }] },
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
    scopes: ["openid", "email", "profile", "groups"],
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx, sub) {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: async () => ({ ...account }) };
    },
  });
  // Its development-only warnings say nothing a test run needs to hear.
  provider.on("server_error", (_ctx, error) => console.error("[oidc-provider]", error));
  return {
    issuer,
    clientId,
    clientSecret,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

/** Tells the provider who an account is (created or replaced). */
export async function defineOidcAccount(issuer: string, account: OidcTestAccount): Promise<void> {
  const response = await fetch(`${issuer}/_test/accounts`, { method: "POST", body: JSON.stringify(account) });
  if (!response.ok) throw new Error("could not define the OIDC test account");
}

/**
 * "Continue with <OIDC_NAME>" in an HTTP-level browser: next-auth sends it to the provider, which
 * asks for a login (the account's sub) and consent on its own pages, then sends it back.
 */
export async function signInWithOidc(
  browser: Browser,
  issuer: string,
  sub: string,
  options: { callbackUrl?: string; start?: string } = {},
): Promise<Visit> {
  // Without the provider's own session it asks who you are: the test signs in as whom it names.
  browser.forget(/^_session/);
  let visit = options.start
    ? await browser.visit(options.start)
    : await browser.post("/api/auth/signin/oidc", {
        csrfToken: await browser.csrfToken(),
        callbackUrl: options.callbackUrl ?? "/keys",
      });
  for (let step = 0; step < 4 && visit.url.startsWith(`${issuer}/interaction/`); step++) {
    const action = /<form[^>]*action="([^"]+)"/.exec(visit.text)?.[1];
    const prompt = /name="prompt" value="(\w+)"/.exec(visit.text)?.[1];
    if (!action || !prompt) throw new Error(`the provider's page has no form: ${visit.text.slice(0, 300)}`);
    const form: Record<string, string> = prompt === "login" ? { prompt, login: sub, password: "any" } : { prompt };
    visit = await browser.post(new URL(action.replaceAll("&amp;", "&"), visit.url).toString(), form);
  }
  return visit;
}
