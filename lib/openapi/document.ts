// The OpenAPI 3.1 document, generated from the routes' own declarations (each route's
// declaration.ts, listed by the registry app/api/declarations.ts that callers pass in) with zod's own
// JSON Schema conversion (z.toJSONSchema, draft 2020-12: the dialect OpenAPI 3.1 uses). Request
// schemas are converted as inputs (what a client may send: defaults optional, coercions
// accepted), responses as outputs (what the route answers, no unknown fields).
import { z } from "zod";
import { SCOPE_DESCRIPTIONS } from "@/lib/api/scopes";
import { EVENT_TYPES } from "@/lib/events/event-types";
import { isDocumented, type DeclaredRoute, type RouteDeclaration } from "@/lib/routes/declaration";
import { components } from "./responses";

type JsonSchema = Record<string, unknown>;

/** One operation of the document: a route's declaration, and where it is served. */
type Operation = RouteDeclaration & { method: string; path: string };

const REF = (id: string) => `#/components/schemas/${id}`;

/** Who may call an operation, as OpenAPI says it: a session, or an API token with the route's scope. */
function securityOf(op: Operation): Record<string, string[]>[] {
  const token = op.scope ? [{ apiToken: [op.scope] }] : [];
  switch (op.access) {
    case "public":
      return [];
    case "user":
    case "admin":
      return [{ session: [] }, ...token];
    case "token":
      return [{ apiToken: [] }];
    // Anonymous callers too, unless VERIFY_AUTH=required.
    case "verifier":
      return [{}, ...token];
    case "cron":
      return [{ cronSecret: [] }];
    case "key":
      return [{ apiKeyBearer: [] }, { apiKeyHeader: [] }];
    case "github":
      return [{ githubSignature: [] }];
    case "auth":
      throw new Error("next-auth's endpoints are not in the document");
  }
}

function accessNote(op: Operation): string {
  const token = op.scope
    ? ` or an API token with the scope \`${op.scope}\``
    : op.access === "user" || op.access === "admin"
      ? " (not an API token)"
      : "";
  switch (op.access) {
    case "public":
      return "Anyone.";
    case "user":
      return `A signed-in user (session cookie)${token}; their own records only.`;
    case "admin":
      return `Site admins (session cookie)${token}.`;
    case "token":
      return "An API token (`Authorization: Bearer kwt_…`), acting on itself.";
    case "verifier":
      return `Anyone (unless VERIFY_AUTH=required)${token}.`;
    case "cron":
      return "The cron secret: `Authorization: Bearer <CRON_SECRET>`.";
    case "key":
      return "An API key, checked by the gate.";
    case "github":
      return "GitHub's signature.";
    case "auth":
      throw new Error("next-auth's endpoints are not in the document");
  }
}

/** Sudo mode, said where a client reads it: which operations may answer 403 REAUTH_REQUIRED. */
function recentAuthNote(op: Operation): string | null {
  if (!op.recentAuth) return null;
  const when = op.recentAuth === true ? "" : ` (${op.recentAuth.when})`;
  // The condition stays outside the bold: it holds `code`, and marks do not nest in the reference page.
  return `**Needs recent authentication**${when}: a session whose last sign-in is more than 10 minutes old gets 403 \`REAUTH_REQUIRED\` with a \`reauthUrl\`; POST the password or a code there, then retry. API tokens are exempt. The operation is marked \`x-keyward-recent-auth\`.`;
}

const ERROR_TEXT: Record<number, string> = {
  400: "The body is not valid JSON",
  401: "Not signed in, or no (valid) credential",
  403: "Not allowed",
  404: "No such record (also: someone else's, or a malformed id)",
  409: "Conflicts with the record's state",
  410: "The link was used, or has expired",
  413: "The body is too large",
  415: "The body is not JSON",
  422: "The input does not match the schema (`errors` lists the fields)",
  429: "Rate-limited: wait Retry-After seconds",
  503: "The database is unreachable",
};

/** A request schema, inline: what a client may send (defaults optional, coercions accepted). */
function requestSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, {
    io: "input",
    target: "draft-2020-12",
    unrepresentable: "any",
  }) as JsonSchema;
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
  if (op.access !== "public" && op.access !== "verifier") codes.add(401);
  // A token without the route's scope, or a site-admin route for anyone else.
  if (op.access === "admin" || op.access === "key" || op.scope) codes.add(403);
  if (op.params) codes.add(404);
  if (op.query) codes.add(422);
  if (op.body) [400, 413, 415, 422].forEach((c) => codes.add(c));
  // REQUIRE_2FA: an account without its required second factor, on every route but enrolment's.
  if ((op.access === "user" || op.access === "admin") && !op.beforeEnrolment) codes.add(403);
  if (op.recentAuth) codes.add(403);
  if (op.path !== "/api/ping") codes.add(503);
  return [...codes].sort();
}

export const openApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, "{$1}");

function operationObject(op: Operation): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, spec] of Object.entries(op.responses)) {
    const content = spec.content
      ? Object.fromEntries(
          Object.entries(spec.content).map(([type, c]) => [
            type,
            {
              schema: responseSchema(c.schema, `${op.operationId}${status}${type.split("/")[1]}`),
              ...(c.description ? { description: c.description } : {}),
            },
          ]),
        )
      : spec.schema
        ? { "application/json": { schema: responseSchema(spec.schema, `${op.operationId}${status}`) } }
        : undefined;
    responses[status] = { description: spec.description, ...(content ? { content } : {}) };
  }
  for (const status of errorsOf(op)) {
    responses[String(status)] ??= {
      description: ERROR_TEXT[status] ?? "Refused",
      content: { "application/problem+json": { schema: { $ref: REF("Problem") } } },
    };
  }
  return {
    operationId: op.operationId,
    summary: op.summary,
    description: [op.description, `**Who may call it:** ${accessNote(op)}`, recentAuthNote(op)]
      .filter(Boolean)
      .join("\n\n"),
    tags: [op.tag],
    security: securityOf(op),
    parameters: [...parameters(op.params, "path"), ...parameters(op.query, "query")],
    ...(op.recentAuth ? { "x-keyward-recent-auth": op.recentAuth === true ? true : op.recentAuth.when } : {}),
    ...(op.body
      ? { requestBody: { required: true, content: { "application/json": { schema: requestSchema(op.body) } } } }
      : {}),
    responses,
  };
}

function build(routes: readonly DeclaredRoute[]): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const { path, method, declaration } of routes.filter(isDocumented)) {
    (paths[openApiPath(path)] ??= {})[method.toLowerCase()] = operationObject({
      ...declaration,
      method: method.toLowerCase(),
      path,
    });
  }
  const schemas = z.toJSONSchema(components, {
    io: "output",
    target: "draft-2020-12",
    unrepresentable: "any",
    uri: REF,
  }).schemas;
  // Each comes with its own $schema and a fragment $id, which 2020-12 forbids; the dialect is the document's.
  for (const schema of Object.values(schemas)) {
    delete (schema as JsonSchema).$schema;
    delete (schema as JsonSchema).$id;
  }
  const webhooks = Object.fromEntries(
    EVENT_TYPES.map((type) => [
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
    tags: [
      "Keys",
      "API tokens",
      "Teams",
      "Leaked keys",
      "Account",
      "Webhooks",
      "Admin",
      "Sweep",
      "Service",
      "Webhook events",
    ].map((name) => ({ name })),
    paths,
    webhooks,
    components: {
      schemas,
      securitySchemes: {
        session: {
          type: "apiKey",
          in: "cookie",
          name: "authjs.session-token",
          description: "Sign in at /sign-in; the portal's own session",
        },
        apiToken: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "kwt_…",
          // OpenAPI 3.1 lets a non-OAuth requirement name roles: each operation names the scope it needs.
          description: `An API token (Settings → API tokens) sent as \`Authorization: Bearer kwt_…\`. Each operation's requirement names the scope it needs:\n\n${Object.entries(
            SCOPE_DESCRIPTIONS,
          )
            .map(([scope, what]) => `- \`${scope}\`: ${what}`)
            .join("\n")}`,
        },
        cronSecret: { type: "http", scheme: "bearer", description: "CRON_SECRET" },
        apiKeyBearer: { type: "http", scheme: "bearer", description: "An API key issued here" },
        apiKeyHeader: { type: "apiKey", in: "header", name: "X-API-Key" },
        githubSignature: { type: "apiKey", in: "header", name: "Github-Public-Key-Signature" },
      },
    },
  };
}

const built = new WeakMap<readonly DeclaredRoute[], JsonSchema>();

/**
 * The document of these routes (app/api/declarations.ts: lib/ does not import app/, so the
 * caller passes the registry in); built once per process (the schemas do not change at run time).
 */
export function openApiDocument(routes: readonly DeclaredRoute[]): JsonSchema {
  let doc = built.get(routes);
  if (!doc) built.set(routes, (doc = build(routes)));
  return doc;
}
