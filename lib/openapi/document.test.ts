// The document describes every route there is, from the declaration each route's handler is made
// of: a route file exporting a method its folder does not declare fails here, and so does a
// handler built from another declaration than the one the registry (app/api/declarations.ts) lists.
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it, vi } from "vitest";
import { DECLARED_ROUTES } from "@/app/api/declarations";
import { isDocumented, templateOf } from "@/lib/routes/declaration";
import { declarationOf } from "@/lib/routes/with-api";
import { openApiDocument, openApiPath } from "./document";

// The routes' modules are imported for what they export; next-auth itself is not needed for that.
vi.mock("@/lib/auth", () => ({
  auth: vi.fn(),
  signIn: vi.fn(),
  unstable_update: vi.fn(),
  handlers: { GET: vi.fn(), POST: vi.fn() },
}));
vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn(), getCurrentSession: vi.fn() }));

const root = join(import.meta.dirname, "../..");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? routeFiles(join(dir, entry.name))
      : entry.name === "route.ts"
        ? [relative(root, join(dir, entry.name))]
        : [],
  );
}

const files = routeFiles(join(root, "app/api"));
const documented = DECLARED_ROUTES.filter(isDocumented);
const doc = openApiDocument(DECLARED_ROUTES) as {
  paths: Record<
    string,
    Record<
      string,
      { summary?: string; description?: string; responses?: Record<string, unknown>; "x-keyward-recent-auth"?: unknown }
    >
  >;
  components: { schemas: Record<string, object> };
};

describe("the OpenAPI document (/api/openapi.json)", () => {
  it.each(files)("describes every method %s exports, from the declaration its handler is made of", async (file) => {
    const template = templateOf(file);
    const routeModule = (await import(/* @vite-ignore */ join(root, file))) as Record<string, unknown>;
    const exported = METHODS.filter((m) => typeof routeModule[m] === "function");
    expect(exported.length, file).toBeGreaterThan(0);
    const declared = DECLARED_ROUTES.filter((r) => r.path === template);
    expect(declared.map((r) => r.method).sort(), `${template}: the methods declared beside it`).toEqual(
      [...exported].sort(),
    );
    for (const method of exported) {
      const route = declared.find((r) => r.method === method)!;
      const made = declarationOf(routeModule[method]);
      expect(made?.declaration, `${method} ${template}: its handler is made from its declaration`).toBe(
        route.declaration,
      );
      if (!isDocumented(route)) continue;
      const described = doc.paths[openApiPath(template)]?.[method.toLowerCase()];
      expect(described?.summary, `${method} ${template} has no description in the document`).toBeTruthy();
      // Only withApi parses a declared body; a handler outside it must say it parses the body itself.
      if (made?.wrapper === "plain" && route.declaration.body)
        expect(route.declaration.bodyParsedByHandler, `${method} ${template}: body not parsed by withApi`).toBe(true);
    }
  });

  it("says which operations need a recent sign-in (sudo mode), and that they may answer 403", () => {
    const marked = documented.filter((r) => r.declaration.recentAuth);
    expect(marked.length).toBeGreaterThan(10);
    for (const { path, method, declaration } of documented) {
      const described = doc.paths[openApiPath(path)]![method.toLowerCase()]!;
      const recentAuth = declaration.recentAuth;
      expect(described["x-keyward-recent-auth"], declaration.operationId).toEqual(
        recentAuth === undefined || recentAuth === true ? recentAuth : recentAuth.when,
      );
      if (recentAuth) {
        expect(described.description, declaration.operationId).toContain("Needs recent authentication");
        expect(Object.keys(described.responses ?? {}), declaration.operationId).toContain("403");
      }
    }
  });

  it("gives every operation its own id", () => {
    const ids = documented.map((r) => r.declaration.operationId);
    expect(ids.filter((id, at) => ids.indexOf(id) !== at)).toEqual([]);
  });

  it("describes no route that does not exist", () => {
    const served = new Set(files.map((f) => openApiPath(templateOf(f))));
    expect(Object.keys(doc.paths).filter((path) => !served.has(path))).toEqual([]);
  });

  it("is valid JSON Schema 2020-12 throughout, with every reference resolving", () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addSchema({ $id: "doc", components: doc.components }, "doc");
    for (const name of Object.keys(doc.components.schemas)) {
      expect(() => ajv.compile({ $ref: `doc#/components/schemas/${name}` }), name).not.toThrow();
    }
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.filter((r) => !(r in doc.components.schemas))).toEqual([]);
  });
});
