// What scripts/test.ts provides to integration tests. Run them with `npm test` (or
// `npm run test:int`), which starts the database and the app server first.
function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run integration tests through \`npm test\` / \`npm run test:int\`.`);
  return value;
}

export const testEnv = {
  get baseUrl() {
    return required("KEYWARD_TEST_BASE_URL");
  },
  get downUrl() {
    return required("KEYWARD_TEST_DOWN_URL");
  },
  /** The local GitHub stand-in (test-support/fake-github.ts) both servers sign in with. */
  get githubUrl() {
    return required("KEYWARD_TEST_GITHUB_URL");
  },
  /**
   * The OpenID provider (test-support/oidc-provider.ts) both servers offer as "Test SSO". The
   * main server allows addresses in example.test and sso.example.test, and makes members of the
   * group keyward-admins admins; the locked-down one allows any address.
   */
  get oidcIssuer() {
    return required("KEYWARD_TEST_OIDC_ISSUER");
  },
  /**
   * The locked-down server: behind a trusted proxy (TRUSTED_PROXIES=127.0.0.1, so each
   * X-Forwarded-For is a client), tight key-check limits, sign-up closed, GitHub configured.
   */
  get limitedUrl() {
    return required("KEYWARD_TEST_LIMITED_URL");
  },
  /** GitHub secret scanning's key for this run: the server trusts its public half. */
  get scanningKey() {
    return { id: required("KEYWARD_TEST_SCANNING_KEY_ID"), privateKey: required("KEYWARD_TEST_SCANNING_PRIVATE_KEY") };
  },
  get databaseUrl() {
    return required("DATABASE_URL");
  },
  get cronSecret() {
    return required("CRON_SECRET");
  },
  get serverLog() {
    return required("KEYWARD_TEST_SERVER_LOG");
  },
  get dbKind() {
    return process.env.TEST_DB_KIND ?? "postgres";
  },
};
