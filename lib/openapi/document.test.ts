// The document describes every route there is, with the schemas the routes really parse: a route
// file exporting a method the document lacks fails here, and so does a route whose withApi
// declares a body, query or path schema other than the very object the document was made from.
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it, vi } from "vitest";
import { contractOf } from "@/lib/api/with-api";
import { templateOf } from "@/test-support/routes";
import { openApiDocument, openApiPath } from "./document";
import { OPERATIONS } from "./operations";

// The routes' modules are imported for what they export; next-auth itself is not needed for that.
vi.mock("@/lib/auth", () => ({ auth: vi.fn(), signIn: vi.fn(), handlers: { GET: vi.fn(), POST: vi.fn() } }));
vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));

const root = join(import.meta.dirname, "../..");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
/** next-auth's own endpoints: its protocol, not Keyward's API. */
const UNDESCRIBED = new Set(["/api/auth/*"]);

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? routeFiles(join(dir, entry.name)) : entry.name === "route.ts" ? [relative(root, join(dir, entry.name))] : [],
  );
}

const files = routeFiles(join(root, "app/api"));
const doc = openApiDocument() as { paths: Record<string, Record<string, { summary?: string; responses?: object }>>; components: { schemas: Record<string, object> } };

describe("the OpenAPI document (/api/openapi.json)", () => {
  it.each(files)("describes every method %s exports, with the schemas its handler parses", async (file) => {
    const template = templateOf(file);
    if (UNDESCRIBED.has(template)) return;
    const module = (await import(/* @vite-ignore */ join(root, file))) as Record<string, unknown>;
    const exported = METHODS.filter((m) => typeof module[m] === "function");
    expect(exported.length, file).toBeGreaterThan(0);
    for (const method of exported) {
      const described = doc.paths[openApiPath(template)]?.[method.toLowerCase()];
      expect(described?.summary, `${method} ${template} has no description in the document`).toBeTruthy();
      const op = OPERATIONS.find((o) => o.path === template && o.method === method.toLowerCase())!;
      const contract = contractOf(module[method]);
      if (!contract) {
        // A handler outside withApi: only a body it parses itself may be described.
        expect(op.body === undefined || op.bodyParsedByHandler, `${method} ${template}: body not parsed by withApi`).toBe(true);
        continue;
      }
      expect(contract.body, `${method} ${template}: request body schema`).toBe(op.body);
      expect(contract.query, `${method} ${template}: query schema`).toBe(op.query);
      expect(contract.params, `${method} ${template}: path parameter schema`).toBe(op.params);
      expect(contract.access === "public" ? ["public", "cron", "key", "github"] : [contract.access], `${method} ${template}: access`).toContain(op.access);
    }
  });

  it("describes no route that does not exist", () => {
    const served = new Set(files.map((f) => openApiPath(templateOf(f))));
    expect(Object.keys(doc.paths).filter((path) => !served.has(path))).toEqual([]);
  });

  it("is valid JSON Schema 2020-12 throughout, with every reference resolving", () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addSchema({ $id: "doc", components: doc.components }, "doc");
    for (const [name, schema] of Object.entries(doc.components.schemas)) {
      expect(() => ajv.compile({ $ref: `doc#/components/schemas/${name}` }), name).not.toThrow();
    }
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.filter((r) => !(r in doc.components.schemas))).toEqual([]);
  });
});
