// The OpenAPI 3.1 document, generated from the operation list (operations.ts) with zod's own
// JSON Schema conversion (z.toJSONSchema, draft 2020-12: the dialect OpenAPI 3.1 uses). Request
// schemas are converted as inputs (what a client may send: defaults optional, coercions
// accepted), responses as outputs (what the route answers, no unknown fields).
import { z } from "zod";
import { KEY_EVENT_TYPES } from "@/lib/events/event-types";
import { OPERATIONS, type Operation, type OperationAccess } from "./operations";
import { components } from "./responses";

type JsonSchema = Record<string, unknown>;

const REF = (id: string) => `#/components/schemas/${id}`;

const SECURITY: Record<OperationAccess, Record<string, string[]>[] | undefined> = {
  public: [],
  user: [{ session: [] }],
  admin: [{ session: [] }],
  cron: [{ cronSecret: [] }],
  key: [{ apiKeyBearer: [] }, { apiKeyHeader: [] }],
  github: [{ githubSignature: [] }],
};

const ACCESS_NOTE: Record<OperationAccess, string> = {
  public: "Anyone.",
  user: "A signed-in user (session cookie); their own records only.",
  admin: "Site admins (session cookie).",
  cron: "The cron secret: `Authorization: Bearer <CRON_SECRET>`.",
  key: "An API key, checked by the gate.",
  github: "GitHub's signature.",
};

const ERROR_TEXT: Record<number, string> = {
  400: "The body is not valid JSON",
  401: "Not signed in, or no (valid) credential",
  403: "Not allowed",
  404: "No such record (also: someone else's, or a malformed id)",
  409: "Conflicts with the record's state",
  413: "The body is too large",
  415: "The body is not JSON",
  422: "The input does not match the schema (`errors` lists the fields)",
  429: "Rate-limited: wait Retry-After seconds",
  503: "The database is unreachable",
};

/** A request schema, inline: what a client may send (defaults optional, coercions accepted). */
function requestSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: "input", target: "draft-2020-12", unrepresentable: "any" }) as JsonSchema;
  return json;
}

/**
 * A response schema, by reference: each becomes a component (named after its operation unless
 * it has a name), so the registry converts them all at once and shared parts are defined once.
 */
function responseSchema(schema: z.ZodType, fallbackId: string): JsonSchema {
  if (schema instanceof z.ZodString) return { type: "string" };
  if (!components.has(schema)) components.add(schema, { id: fallbackId });
  return { $ref: REF(components.get(schema)!.id) };
}

function parameters(schema: z.ZodType | undefined, where: "query" | "path"): JsonSchema[] {
  if (!schema) return [];
  const json = requestSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === "path" || (json.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

function errorsOf(op: Operation): number[] {
  const codes = new Set(op.errors ?? []);
  if (op.access === "user" || op.access === "admin" || op.access === "cron" || op.access === "key" || op.access === "github") codes.add(401);
  if (op.access === "admin" || op.access === "key") codes.add(403);
  if (op.params) codes.add(404);
  if (op.query) codes.add(422);
  if (op.body) [400, 413, 415, 422].forEach((c) => codes.add(c));
  if (op.path !== "/api/ping") codes.add(503);
  return [...codes].sort();
}

export const openApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, "{$1}");

function operationObject(op: Operation): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, spec] of Object.entries(op.responses)) {
    const content = spec.content
      ? Object.fromEntries(Object.entries(spec.content).map(([type, c]) => [type, { schema: responseSchema(c.schema, `${op.operationId}${status}${type.split("/")[1]}`), ...(c.description ? { description: c.description } : {}) }]))
      : spec.schema
        ? { "application/json": { schema: responseSchema(spec.schema, `${op.operationId}${status}`) } }
        : undefined;
    responses[status] = { description: spec.description, ...(content ? { content } : {}) };
  }
  for (const status of errorsOf(op)) {
    responses[String(status)] ??= { description: ERROR_TEXT[status] ?? "Refused", content: { "application/problem+json": { schema: { $ref: REF("Problem") } } } };
  }
  return {
    operationId: op.operationId,
    summary: op.summary,
    description: [op.description, `**Who may call it:** ${ACCESS_NOTE[op.access]}`].filter(Boolean).join("\n\n"),
    tags: [op.tag],
    security: SECURITY[op.access],
    parameters: [...parameters(op.params, "path"), ...parameters(op.query, "query")],
    ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: requestSchema(op.body) } } } } : {}),
    responses,
  };
}

function build(): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of OPERATIONS) (paths[openApiPath(op.path)] ??= {})[op.method] = operationObject(op);
  const schemas = z.toJSONSchema(components, { io: "output", target: "draft-2020-12", unrepresentable: "any", uri: REF }).schemas;
  // Each comes with its own $schema and a fragment $id, which 2020-12 forbids; the dialect is the document's.
  for (const schema of Object.values(schemas)) {
    delete (schema as JsonSchema).$schema;
    delete (schema as JsonSchema).$id;
  }
  const webhooks = Object.fromEntries(
    KEY_EVENT_TYPES.map((type) => [
      type,
      {
        post: {
          operationId: `webhook_${type.replace(".", "_")}`,
          summary: `${type}`,
          description:
            "Sent to your endpoint, signed (Standard Webhooks): headers webhook-id (the event's id, the same on every retry), webhook-timestamp and webhook-signature (`v1,` + base64 HMAC-SHA256 of `id.timestamp.body`). Answer 2xx within 10 s; anything else is retried.",
          tags: ["Webhook events"],
          requestBody: { required: true, content: { "application/json": { schema: { $ref: REF("KeyEvent") } } } },
          responses: { "2XX": { description: "Received" } },
        },
      },
    ]),
  );
  return {
    openapi: "3.1.0",
    info: {
      title: "Keyward API",
      version: "1",
      description: "API keys that expire on time. Errors share one shape: RFC 9457 problem+json (the Problem schema).",
    },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    tags: ["Keys", "Leaked keys", "Account", "Webhooks", "Admin", "Sweep", "Service", "Webhook events"].map((name) => ({ name })),
    paths,
    webhooks,
    components: {
      schemas,
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: "authjs.session-token", description: "Sign in at /sign-in; the portal's own session" },
        cronSecret: { type: "http", scheme: "bearer", description: "CRON_SECRET" },
        apiKeyBearer: { type: "http", scheme: "bearer", description: "An API key issued here" },
        apiKeyHeader: { type: "apiKey", in: "header", name: "X-API-Key" },
        githubSignature: { type: "apiKey", in: "header", name: "Github-Public-Key-Signature" },
      },
    },
  };
}

let cached: JsonSchema | undefined;

/** The document; built once per process (the schemas do not change at run time). */
export function openApiDocument(): JsonSchema {
  return (cached ??= build());
}
