// A JSON Schema as people read it: fields with their types, constraints and descriptions, nested
// objects indented, named schemas as links to their definition further down the page.
import { InlineText } from "./inline-text";

type Schema = Record<string, unknown>;

const refName = (ref: string) => ref.split("/").at(-1) ?? ref;

function typeLabel(schema: Schema): string {
  if (typeof schema.$ref === "string") return refName(schema.$ref);
  if ("const" in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  const variants = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (variants) return variants.map(typeLabel).join(" | ");
  const type = Array.isArray(schema.type) ? schema.type.join(" | ") : String(schema.type ?? "any");
  if (type === "array" && schema.items) return `${typeLabel(schema.items as Schema)}[]`;
  return schema.format ? `${type} (${String(schema.format)})` : type;
}

function constraints(schema: Schema): string[] {
  const out: string[] = [];
  for (const [key, label] of [
    ["minLength", "min length"],
    ["maxLength", "max length"],
    ["minimum", "≥"],
    ["maximum", "≤"],
    ["minItems", "min items"],
    ["maxItems", "max items"],
  ] as const) {
    if (schema[key] !== undefined) out.push(`${label} ${String(schema[key])}`);
  }
  if (schema.default !== undefined) out.push(`default ${JSON.stringify(schema.default)}`);
  return out;
}

/** The object (or array of objects, or union of objects) whose fields should be listed. */
function objectsIn(schema: Schema): Schema[] {
  if (schema.type === "object" && schema.properties) return [schema];
  if (schema.type === "array" && schema.items) return objectsIn(schema.items as Schema);
  const variants = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  return variants ? variants.flatMap(objectsIn) : [];
}

export function TypeLink({ schema }: { schema: Schema }) {
  const label = typeLabel(schema);
  if (typeof schema.$ref === "string") {
    return (
      <a
        href={`#schema-${refName(schema.$ref)}`}
        className="font-mono text-indigo-600 hover:underline dark:text-indigo-400"
      >
        {label}
      </a>
    );
  }
  return <span className="font-mono text-emerald-700 dark:text-emerald-400">{label}</span>;
}

export function SchemaView({ schema, depth = 0 }: { schema: Schema; depth?: number }) {
  const objects = depth > 4 ? [] : objectsIn(schema);
  if (!objects.length) {
    return (
      <p className="text-sm">
        <TypeLink schema={schema} />{" "}
        {constraints(schema).length ? <span className="text-zinc-500">({constraints(schema).join(", ")})</span> : null}
      </p>
    );
  }
  return (
    <div className="space-y-2">
      {objects.length > 1 || schema.type === "array" ? (
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          {schema.type === "array" ? "An array of:" : "One of:"}
        </p>
      ) : null}
      {objects.map((object, index) => {
        const required = new Set((object.required as string[] | undefined) ?? []);
        return (
          <ul
            key={index}
            className="divide-y divide-zinc-100 rounded-md border border-zinc-200 text-sm dark:divide-zinc-800 dark:border-zinc-800"
          >
            {Object.entries(object.properties as Record<string, Schema>).map(([name, property]) => (
              <li key={name} className="space-y-1 px-3 py-2">
                <div className="flex flex-wrap items-baseline gap-x-2">
                  <code className="font-mono font-semibold">{name}</code>
                  <TypeLink schema={property} />
                  {required.has(name) ? <span className="text-xs text-red-600 dark:text-red-400">required</span> : null}
                  {constraints(property).length ? (
                    <span className="text-xs text-zinc-500">{constraints(property).join(", ")}</span>
                  ) : null}
                </div>
                {typeof property.description === "string" ? (
                  <p className="text-xs text-zinc-600 dark:text-zinc-400">
                    <InlineText text={property.description} />
                  </p>
                ) : null}
                {objectsIn(property).length && !property.$ref ? (
                  <div className="pl-4">
                    <SchemaView schema={property} depth={depth + 1} />
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        );
      })}
    </div>
  );
}
