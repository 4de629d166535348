import type { Metadata } from "next";
import Link from "next/link";
import { SchemaView, TypeLink } from "@/components/api-docs/schema-view";
import { openApiDocument } from "@/lib/openapi/document";
import { DECLARED_ROUTES } from "@/app/api/declarations";
import { InlineText } from "@/components/api-docs/inline-text";

export const metadata: Metadata = { title: "API reference" };

type Schema = Record<string, unknown>;
interface Parameter {
  name: string;
  in: string;
  required: boolean;
  description?: string;
  schema: Schema;
}
interface OperationObject {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<
    string,
    { description: string; content?: Record<string, { schema: Schema; description?: string }> }
  >;
}

const METHOD_COLOURS: Record<string, string> = {
  get: "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300",
  post: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  patch: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300",
  delete: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
};

// Public and server-rendered from the same document /api/openapi.json serves: no script from
// anywhere (the CSP allows none), and it reads the same with JavaScript off.
export default function ApiDocsPage() {
  const doc = openApiDocument(DECLARED_ROUTES) as {
    info: { title: string; description: string };
    tags: { name: string }[];
    paths: Record<string, Record<string, OperationObject>>;
    webhooks: Record<string, Record<string, OperationObject>>;
    components: { schemas: Record<string, Schema> };
  };
  const operations = [
    ...Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ path, method, op })),
    ),
    ...Object.entries(doc.webhooks).flatMap(([name, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ path: name, method, op })),
    ),
  ];
  const sections = doc.tags.map((tag) => ({
    tag: tag.name,
    ops: operations.filter((o) => o.op.tags.includes(tag.name)),
  }));
  return (
    <main className="mx-auto max-w-5xl space-y-8 px-4 py-8">
      <header className="space-y-2">
        <h1 className="text-2xl font-semibold tracking-tight">{doc.info.title}</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{doc.info.description}</p>
        <p className="text-sm">
          Machine-readable:{" "}
          <a href="/api/openapi.json" className="font-mono text-indigo-600 hover:underline dark:text-indigo-400">
            /api/openapi.json
          </a>{" "}
          (OpenAPI 3.1).{" "}
          <Link href="/keys" className="text-indigo-600 hover:underline dark:text-indigo-400">
            Back to the portal
          </Link>
        </p>
        <nav aria-label="Sections" className="flex flex-wrap gap-3 text-sm">
          {sections.map((s) => (
            <a
              key={s.tag}
              href={`#tag-${s.tag.replaceAll(" ", "-")}`}
              className="text-indigo-600 hover:underline dark:text-indigo-400"
            >
              {s.tag}
            </a>
          ))}
          <a href="#schemas" className="text-indigo-600 hover:underline dark:text-indigo-400">
            Schemas
          </a>
        </nav>
      </header>
      {sections.map((section) => (
        <section key={section.tag} id={`tag-${section.tag.replaceAll(" ", "-")}`} className="space-y-4">
          <h2 className="text-xl font-semibold">{section.tag}</h2>
          {section.ops.map(({ path, method, op }) => (
            <article
              key={op.operationId}
              id={op.operationId}
              className="space-y-3 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800"
            >
              <h3 className="flex flex-wrap items-center gap-2">
                <span
                  className={`rounded px-2 py-0.5 font-mono text-xs font-bold uppercase ${METHOD_COLOURS[method] ?? ""}`}
                >
                  {method}
                </span>
                <code className="font-mono text-sm break-all">{path}</code>
                <span className="text-sm text-zinc-600 dark:text-zinc-400">{op.summary}</span>
              </h3>
              {op.description ? (
                <p className="text-sm whitespace-pre-line text-zinc-700 dark:text-zinc-300">
                  <InlineText text={op.description} />
                </p>
              ) : null}
              {op.parameters?.length ? (
                <div className="space-y-1">
                  <h4 className="text-sm font-semibold">Parameters</h4>
                  <ul className="divide-y divide-zinc-100 rounded-md border border-zinc-200 text-sm dark:divide-zinc-800 dark:border-zinc-800">
                    {op.parameters.map((p) => (
                      <li key={`${p.in}-${p.name}`} className="flex flex-wrap items-baseline gap-x-2 px-3 py-2">
                        <code className="font-mono font-semibold">{p.name}</code>
                        <span className="text-xs text-zinc-500">{p.in}</span>
                        <TypeLink schema={p.schema} />
                        {p.required ? <span className="text-xs text-red-600 dark:text-red-400">required</span> : null}
                        {p.description ? (
                          <span className="w-full text-xs text-zinc-600 dark:text-zinc-400">
                            <InlineText text={p.description} />
                          </span>
                        ) : null}
                      </li>
                    ))}
                  </ul>
                </div>
              ) : null}
              {op.requestBody ? (
                <div className="space-y-1">
                  <h4 className="text-sm font-semibold">Request body</h4>
                  {Object.values(op.requestBody.content).map((c, i) => (
                    <SchemaView key={i} schema={c.schema} />
                  ))}
                </div>
              ) : null}
              <div className="space-y-1">
                <h4 className="text-sm font-semibold">Responses</h4>
                <ul className="space-y-1 text-sm">
                  {Object.entries(op.responses).map(([status, response]) => (
                    <li key={status} className="flex flex-wrap items-baseline gap-x-2">
                      <code className="font-mono font-semibold">{status}</code>
                      <span className="text-zinc-700 dark:text-zinc-300">
                        <InlineText text={response.description} />
                      </span>
                      {Object.entries(response.content ?? {}).map(([type, c]) => (
                        <span key={type} className="text-xs">
                          <span className="text-zinc-500">{type}</span> <TypeLink schema={c.schema} />
                        </span>
                      ))}
                    </li>
                  ))}
                </ul>
              </div>
            </article>
          ))}
        </section>
      ))}
      <section id="schemas" className="space-y-4">
        <h2 className="text-xl font-semibold">Schemas</h2>
        {Object.entries(doc.components.schemas).map(([name, schema]) => (
          <article
            key={name}
            id={`schema-${name}`}
            className="space-y-2 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800"
          >
            <h3 className="font-mono text-sm font-semibold">{name}</h3>
            {typeof schema.description === "string" ? (
              <p className="text-sm text-zinc-600 dark:text-zinc-400">
                <InlineText text={schema.description} />
              </p>
            ) : null}
            <SchemaView schema={schema} />
          </article>
        ))}
      </section>
    </main>
  );
}
