// API tokens (`kwt_…`): list, read, issue, revoke, rotate (one of yours, or the calling token
// itself). Needs tokens:read or tokens:write (rotating itself: any scope).
import type { Http, Success } from "./http.js";
import type { operations } from "./generated/openapi.js";
import type {
  IssuedToken,
  IssueTokenRequest,
  RevokeTokenRequest,
  RotatedToken,
  RotateTokenRequest,
  TokenView,
} from "./types.js";

export class Tokens {
  constructor(private readonly http: Http) {}

  /** Your tokens, or a team's. */
  list(query: { team?: string } = {}): Promise<Success<operations["listTokens"]>> {
    return this.http.request("get", "/api/v1/tokens", { query });
  }

  get(id: string): Promise<TokenView> {
    return this.http.request("get", "/api/v1/tokens/{id}", { params: { id } });
  }

  /** The answer holds the plaintext, this once. */
  issue(request: IssueTokenRequest): Promise<IssuedToken> {
    return this.http.request("post", "/api/v1/tokens", { body: request });
  }

  revoke(id: string, request: RevokeTokenRequest = {}): Promise<TokenView> {
    return this.http.request("post", "/api/v1/tokens/{id}/revoke", { params: { id }, body: request });
  }

  rotate(id: string, request: RotateTokenRequest = {}): Promise<RotatedToken> {
    return this.http.request("post", "/api/v1/tokens/{id}/rotate", { params: { id }, body: request });
  }

  /** The calling token replaces itself: how a CI job renews its own credential. */
  rotateSelf(request: RotateTokenRequest = {}): Promise<RotatedToken> {
    return this.http.request("post", "/api/v1/tokens/self/rotate", { body: request });
  }
}
