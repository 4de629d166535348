// ESLint: Next's own rules (React, hooks, accessibility, Core Web Vitals) plus the typed rules of
// typescript-eslint that catch real faults here: a promise nobody awaits or catches, an async
// function handed where a callback's result is ignored, `await` on what is not a promise, unused
// names, `any`, and a switch over a union that forgets a member. Formatting is Prettier's job (.prettierrc.json), not ESLint's.
import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";
import tseslint from "typescript-eslint";

export default defineConfig([
  ...nextVitals,
  ...nextTypescript,
  globalIgnores([
    ".next/**",
    ".data/**",
    "lib/db/generated/**",
    "packages/client/dist/**",
    "test-results/**",
    "playwright-report/**",
    "next-env.d.ts",
  ]),
  {
    files: ["**/*.ts", "**/*.tsx"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { "@typescript-eslint": tseslint.plugin },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
      "@typescript-eslint/switch-exhaustiveness-check": ["error", { considerDefaultExhaustiveForUnions: true }],
    },
  },
  {
    // Tests parse answers as JSON and check them field by field, and their stand-in servers hand
    // Node async listeners; neither is a fault there.
    files: ["**/*.test.ts", "**/*.test.tsx", "e2e/**", "test-support/**", "packages/client/test-support/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off", "@typescript-eslint/no-misused-promises": "off" },
  },
  // Playwright's fixtures take a `use` callback, which is not React's.
  { files: ["e2e/**"], rules: { "react-hooks/rules-of-hooks": "off" } },
]);
