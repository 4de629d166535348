import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

// Unit tests (*.test.ts) need nothing; integration tests (*.int.test.ts) need the database and
// app server that scripts/test.ts provides (npm test), so they run one file at a time.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: `${root}/` },
      // The SDK by its published name, from source: tests import it the way its users do.
      { find: /^@keyward\/client$/, replacement: `${root}/packages/client/src/index.ts` },
      { find: /^@keyward\/client\/(.+)$/, replacement: `${root}/packages/client/src/$1.ts` },
      // lib/ marks database code server-only; tests are a server context too.
      { find: "server-only", replacement: `${root}/node_modules/server-only/empty.js` },
    ],
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "node_modules/**", "e2e/**", ".next/**"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["**/*.int.test.ts"],
          exclude: ["node_modules/**", ".next/**"],
          setupFiles: ["./test-support/integration-setup.ts"],
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
