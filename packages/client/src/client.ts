// KeywardClient: verify keys (optionally through a short in-process cache) and manage keys,
// tokens, teams and webhooks with an API token.
import { Http, type ClientOptions } from "./http.js";
import { Keys } from "./keys.js";
import { Teams } from "./teams.js";
import { Tokens } from "./tokens.js";
import type { VerifyResult } from "./types.js";
import { VerdictCache, verdictCacheId, type VerifyCacheOptions } from "./verdict-cache.js";
import { Webhooks } from "./webhooks.js";

export interface KeywardClientOptions extends ClientOptions {
  /**
   * Reuse VALID answers in this process: `true` for 5 s and 1,000 answers, or your own bounds.
   * A key revoked meanwhile can be answered VALID for up to ttlMs (see verdict-cache.ts).
   */
  verifyCache?: boolean | VerifyCacheOptions;
}

export interface VerifyOptions {
  /** The scope the caller needs: a key without it is answered INSUFFICIENT_SCOPE. */
  scope?: string;
  /**
   * The address the key is used from, for keys with an IP allowlist. Keyward honours it only
   * from a verifier authenticated with a token that has the `verify` scope.
   */
  ip?: string;
}

export class KeywardClient {
  readonly keys: Keys;
  readonly tokens: Tokens;
  readonly teams: Teams;
  readonly webhooks: Webhooks;
  /** The verify cache, when turned on. */
  readonly verifyCache: VerdictCache | undefined;
  private readonly http: Http;

  constructor(options: KeywardClientOptions) {
    this.http = new Http(options);
    this.keys = new Keys(this.http);
    this.tokens = new Tokens(this.http);
    this.teams = new Teams(this.http);
    this.webhooks = new Webhooks(this.http);
    const cache = options.verifyCache;
    this.verifyCache = cache ? new VerdictCache(cache === true ? {} : cache) : undefined;
  }

  get baseUrl(): string {
    return this.http.baseUrl;
  }

  /** Whether calls carry an API token (the verify route honours `ip` only then). */
  get authenticated(): boolean {
    return this.http.hasToken;
  }

  /**
   * Keyward's verdict on a key: `valid` is true only for code VALID. Throws KeywardApiError when
   * Keyward does not give one (503 database down, 429 slow down, 401 with VERIFY_AUTH=required
   * and no verifier token) and KeywardConnectionError when it does not answer: never VALID on doubt.
   */
  async verify(key: string, options: VerifyOptions = {}): Promise<VerifyResult> {
    const cache = this.verifyCache;
    const id = cache ? await verdictCacheId(key, options.scope, options.ip) : undefined;
    const cached = id === undefined ? undefined : cache?.get(id);
    if (cached) return cached;
    const body = {
      key,
      ...(options.scope === undefined ? {} : { scope: options.scope }),
      ...(options.ip === undefined ? {} : { ip: options.ip }),
    };
    const verdict = await this.http.request("post", "/api/v1/keys/verify", { body });
    if (id !== undefined) cache?.set(id, verdict);
    return verdict;
  }
}
