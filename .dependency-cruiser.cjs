// The layering rule, written down once and checked by `npm run deps:check` (in .ci/run).
//
// Imports point down, never back up, and never in a circle:
//
//   top        app/, components/, server/, scripts/, prisma/, e2e/, proxy.ts, instrumentation.ts,
//              test-support/ and every test
//   wiring     lib/auth (next-auth: sessions, sign-in, recent authentication), lib/routes (the
//              route wrapper, withApi), lib/actions (server actions), lib/openapi (the API's
//              contract), lib/startup (what the process does as it starts)
//   domains    every other lib/ folder: keys, sweep, notify, teams, users, ... (among themselves:
//              any direction, as long as there is no circle)
//   floor      lib/db (including batch.ts), lib/log (the logger), lib/net, lib/http, lib/memo, lib/process (gc,
//              lifecycle), lib/api (text validation, client address, problem answers),
//              password hashing and throttles (lib/auth/password.ts, lib/auth/throttle.ts),
//              lib/env.ts, lib/errors.ts, lib/links.ts
//
// Tests (and the *.child.ts processes they start) may import from anywhere: they sit on top.
// test-support/ is shared by tests only: lib/ never imports it, and it imports nothing from
// scripts/ (what both need lives lower, e.g. server/app-server.ts).

/** Tests and the child processes tests start: on top of everything. */
const TESTS = "(\\.test\\.tsx?|\\.spec\\.ts|\\.child\\.ts)$";

const FLOOR = [
  "^lib/(env\\.ts|env-schema\\.mjs|errors\\.ts|links\\.ts)$",
  "^lib/(db|net|http|memo|process|api|log)/",
  "^lib/auth/(password|throttle)\\.ts$",
];
const WIRING = ["^lib/(auth|openapi|startup|routes|actions)/"];
const LIB = "^lib/";
const TOP = "^(app|components|server|scripts|test-support|prisma|e2e|packages)/|^(proxy|instrumentation)\\.ts$";

// Known exceptions: none. Should one ever be needed, it names one file and the files it may reach
// upward ({ file, to: [...] }); anything else it imports upward still fails.
const KNOWN = [];
const exactly = (file) => `^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`;
const inFloor = (file) => FLOOR.some((pattern) => new RegExp(pattern).test(file));
const KNOWN_FROM = KNOWN.map((known) => exactly(known.file));

/** The floor imports nothing above it. */
const floorRule = {
  name: "floor-stays-low",
  comment:
    "lib/db, net, http, memo, process, api, password hashing and throttles, env, errors: a floor below every domain",
  severity: "error",
  from: { path: FLOOR, pathNot: [TESTS, ...KNOWN_FROM] },
  to: { path: LIB, pathNot: FLOOR },
};

/** The domains import neither the wiring above them nor anything on top. */
const domainRule = {
  name: "domains-below-wiring",
  comment:
    "lib/ domain folders do not import lib/auth (but for password hashing and throttles), lib/openapi or lib/startup",
  severity: "error",
  from: { path: LIB, pathNot: [TESTS, ...FLOOR, ...WIRING, ...KNOWN_FROM] },
  to: { path: WIRING, pathNot: FLOOR },
};

/** The exceptions above: a rule each, so that only the listed imports are let through. */
const knownRules = KNOWN.map((known) => ({
  name: "known-climbing-import",
  comment: `known exception, to be removed: ${known.file} may import ${known.to.join(", ")} and nothing else above it`,
  severity: "error",
  from: { path: exactly(known.file) },
  to: { path: inFloor(known.file) ? LIB : WIRING, pathNot: [...FLOOR, ...known.to.map(exactly)] },
}));

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "No import circles, type-only imports included",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    floorRule,
    domainRule,
    ...knownRules,
    {
      name: "lib-below-top",
      comment: "lib/ (but its tests) imports nothing from the top: routes, UI, servers, scripts, seeds, test-support",
      severity: "error",
      from: { path: LIB, pathNot: TESTS },
      to: { path: TOP },
    },
    {
      name: "test-support-not-scripts",
      comment: "test-support/ imports nothing from scripts/: what both need lives lower",
      severity: "error",
      from: { path: "^test-support/" },
      to: { path: "^scripts/" },
    },
    {
      name: "ui-below-routes",
      comment: "components/ imports neither the routes in app/ nor servers, scripts or test-support",
      severity: "error",
      from: { path: "^components/" },
      to: { path: "^(app|server|scripts|test-support)/" },
    },
    {
      name: "server-below-scripts",
      comment: "server/ (Keyward's own HTTP server and its launcher) imports neither routes, UI nor scripts",
      severity: "error",
      from: { path: "^server/", pathNot: TESTS },
      to: { path: "^(app|components|scripts|test-support)/" },
    },
    {
      name: "not-to-test",
      comment: "Code other than tests imports no test file",
      severity: "error",
      from: { pathNot: TESTS },
      to: { path: TESTS },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|\\.next)/|^lib/db/generated/|^packages/client/src/generated/" },
    tsConfig: { fileName: "tsconfig.json" },
    // Type-only imports count: a circle through a type is still a circle for a reader.
    tsPreCompilationDeps: true,
    reporterOptions: { text: { highlightFocused: true } },
  },
};
