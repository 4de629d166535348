// Keys: list, read, issue, rotate, revoke, change limits, read usage. Needs an API token with
// keys:read (reading) or keys:write (the rest).
import type { Http } from "./http.js";
import type {
  ChangeLimitsRequest,
  IssueKeyRequest,
  IssuedKey,
  Key,
  KeyPage,
  KeyUsage,
  KeyUsageQuery,
  ListKeysQuery,
  RevokeKeyRequest,
  RotateKeyRequest,
  RotatedKey,
} from "./types.js";

export class Keys {
  constructor(private readonly http: Http) {}

  /** One page of your keys, or a team's (`team`); `tab`, `q`, `sort`, `page` as in the portal. */
  list(query: ListKeysQuery = {}): Promise<KeyPage> {
    return this.http.request("get", "/api/v1/keys", { query });
  }

  get(id: string): Promise<Key> {
    return this.http.request("get", "/api/v1/keys/{id}", { params: { id } });
  }

  /** The answer holds the plaintext, this once. */
  issue(request: IssueKeyRequest): Promise<IssuedKey> {
    return this.http.request("post", "/api/v1/keys", { body: request });
  }

  /** A new key with the same name and scopes; the old one works for `grace`, then answers REVOKED. */
  rotate(id: string, request: RotateKeyRequest = {}): Promise<RotatedKey> {
    return this.http.request("post", "/api/v1/keys/{id}/rotate", { params: { id }, body: request });
  }

  revoke(id: string, request: RevokeKeyRequest = {}): Promise<Key> {
    return this.http.request("post", "/api/v1/keys/{id}/revoke", { params: { id }, body: request });
  }

  /** Each field sent replaces that limit; those left out stay. */
  setLimits(id: string, request: ChangeLimitsRequest): Promise<Key> {
    return this.http.request("patch", "/api/v1/keys/{id}/limits", { params: { id }, body: request });
  }

  usage(id: string, query: KeyUsageQuery = {}): Promise<KeyUsage> {
    return this.http.request("get", "/api/v1/keys/{id}/usage", { params: { id }, query });
  }
}
