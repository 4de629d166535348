// A local stand-in for GitHub's OAuth and user API (the parts next-auth and Keyward call), so
// GitHub sign-in is tested without network access, the way GitHub Enterprise Server is
// configured (AUTH_GITHUB_ENTERPRISE_URL). Authorization is granted at once, as the identity
// the test chose (POST /_test/identity); the test runner starts it, tests steer it over HTTP.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface GitHubIdentity {
  id: number;
  login: string;
  name: string | null;
  /** What GET /user returns as `email` (the public address; may be null). */
  publicEmail: string | null;
  emails: { email: string; verified: boolean; primary: boolean }[];
}

export interface FakeGitHub {
  url: string;
  close(): Promise<void>;
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  let text = "";
  for await (const chunk of req) text += chunk;
  return text;
}

export async function startFakeGitHub(): Promise<FakeGitHub> {
  let identity: GitHubIdentity | null = null;
  /** The redirect_uri of the last authorization: GitHub refuses one whose host or port is not the app's. */
  let lastRedirectUri: string | null = null;
  const codes = new Map<string, GitHubIdentity>();
  const tokens = new Map<string, GitHubIdentity>();

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const bearer = () => tokens.get((req.headers.authorization ?? "").replace(/^(Bearer|token) /i, ""));

    if (req.method === "POST" && url.pathname === "/_test/identity") {
      identity = JSON.parse(await bodyOf(req)) as GitHubIdentity;
      return send(200, { ok: true });
    }
    if (req.method === "GET" && url.pathname === "/_test/last-redirect-uri") {
      return send(200, { redirectUri: lastRedirectUri });
    }
    if (req.method === "GET" && url.pathname === "/login/oauth/authorize") {
      if (!identity) return send(400, { error: "no identity set by the test" });
      lastRedirectUri = url.searchParams.get("redirect_uri");
      const code = randomBytes(12).toString("hex");
      codes.set(code, identity);
      const back = new URL(url.searchParams.get("redirect_uri")!);
      back.searchParams.set("code", code);
      back.searchParams.set("state", url.searchParams.get("state") ?? "");
      res.writeHead(302, { location: back.toString() });
      return res.end();
    }
    if (req.method === "POST" && url.pathname === "/login/oauth/access_token") {
      const code = new URLSearchParams(await bodyOf(req)).get("code") ?? "";
      const who = codes.get(code);
      codes.delete(code);
      if (!who) return send(400, { error: "bad_verification_code" });
      const token = randomBytes(16).toString("hex");
      tokens.set(token, who);
      return send(200, { access_token: token, token_type: "bearer", scope: "read:user,user:email" });
    }
    if (req.method === "GET" && url.pathname === "/api/v3/user") {
      const who = bearer();
      if (!who) return send(401, { message: "Bad credentials" });
      return send(200, { id: who.id, login: who.login, name: who.name, email: who.publicEmail, avatar_url: null });
    }
    if (req.method === "GET" && url.pathname === "/api/v3/user/emails") {
      const who = bearer();
      if (!who) return send(401, { message: "Bad credentials" });
      return send(
        200,
        who.emails.map((e) => ({ ...e, visibility: e.primary ? "public" : null })),
      );
    }
    send(404, { message: "Not Found" });
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((done) => server.close(() => done())) };
}

/** Tells the stand-in who the next GitHub sign-in is. */
export async function actAsGitHubUser(fakeUrl: string, identity: GitHubIdentity): Promise<void> {
  const response = await fetch(`${fakeUrl}/_test/identity`, { method: "POST", body: JSON.stringify(identity) });
  if (!response.ok) throw new Error("could not set the fake GitHub identity");
}
