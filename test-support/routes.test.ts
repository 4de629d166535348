import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ROUTES, templateOf } from "./routes";

const root = join(import.meta.dirname, "..");

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : [relative(root, join(dir, entry.name))],
  );
}

describe("the route inventory (test-support/routes.ts)", () => {
  it("lists every route handler and page under app/, and nothing that is not there", () => {
    const served = files(join(root, "app"))
      .filter((file) => /\/(route\.ts|page\.tsx)$/.test(file))
      .map((file) => `${file.endsWith("page.tsx") ? "page" : "api"} ${templateOf(file)}`)
      .sort();
    const listed = ROUTES.map((route) => `${route.kind} ${route.path}`).sort();
    expect(listed).toEqual(served);
  });
});
