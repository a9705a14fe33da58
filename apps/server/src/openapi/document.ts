import { apiErrorSchema } from '@switchboard/shared';
import { z } from 'zod';
import { openToEveryToken, scopeForRoute } from '../api-tokens/api-token-scopes';
import type { Access, Operation } from './operation';

type JsonSchema = Record<string, unknown>;

/**
 * A request schema as the client must send it: the input side of transforms and preprocessors
 * (what the route accepts, not what it turns it into), in JSON Schema 2020-12 as OpenAPI 3.1 uses.
 */
export function requestJsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as JsonSchema;
  return rest;
}

function responseJsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io: 'output',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as JsonSchema;
  return rest;
}

/** The placeholders of an OpenAPI path, in order: `/a/{id}/b/{callId}` → id, callId. */
export function pathPlaceholders(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}

function parameters(op: Operation): JsonSchema[] {
  const out: JsonSchema[] = [];
  const pathProps = (op.params ? requestJsonSchema(op.params).properties : undefined) as
    | Record<string, JsonSchema>
    | undefined;
  for (const name of pathPlaceholders(op.path)) {
    out.push({ name, in: 'path', required: true, schema: pathProps?.[name] ?? { type: 'string' } });
  }
  if (op.query) {
    const query = requestJsonSchema(op.query);
    const props = query.properties as Record<string, JsonSchema> | undefined;
    const required = new Set((query.required as string[] | undefined) ?? []);
    if (props) {
      for (const [name, schema] of Object.entries(props)) {
        out.push({ name, in: 'query', required: required.has(name), schema });
      }
    } else {
      // A query schema that is not a plain object (a union, a preprocess): one exploded object.
      out.push({ name: 'query', in: 'query', style: 'form', explode: true, schema: query });
    }
  }
  return out;
}

function security(op: Operation, scope: string | null): Record<string, string[]>[] {
  if (op.access === 'public') return [];
  if (op.access === 'subscriber') return [{ portalSession: [] }];
  if (scope) return [{ session: [] }, { apiToken: [scope] }];
  return anyToken(op) ? [{ session: [] }, { apiToken: [] }] : [{ session: [] }];
}

function anyToken(op: Operation): boolean {
  return openToEveryToken(op.method.toUpperCase(), `/api${op.path}`);
}

const accessText: Record<Access, string> = {
  public: 'Open to anyone.',
  subscriber: 'Needs a signed-in prepaid subscriber (portal session).',
  agent: 'Needs a signed-in agent, supervisor or administrator.',
  supervisor: 'Needs a signed-in supervisor or administrator.',
  admin: 'Needs a signed-in administrator.',
};

/** The scope an API token needs for this operation, or null when tokens may not call it. */
export function operationScope(op: Operation): string | null {
  if (op.access === 'public' || op.access === 'subscriber') return null;
  const concrete = op.path.replace(/\{\w+\}/g, '1');
  return scopeForRoute(op.method.toUpperCase(), `/api${concrete}`);
}

function operationObject(op: Operation): JsonSchema {
  const scope = operationScope(op);
  const notes = [op.description, accessText[op.access]];
  if (scope) notes.push(`API tokens need the \`${scope}\` scope (and act with their user's role).`);
  else if (anyToken(op)) notes.push("API tokens of any scope may call it (with their user's role).");
  else if (op.access !== 'public' && op.access !== 'subscriber') notes.push('API tokens may not call it.');
  const status = String(op.response?.status ?? 200);
  const contentType = op.response?.contentType ?? 'application/json';
  const ok: JsonSchema = { description: op.response?.description ?? 'OK' };
  if (status !== '204') {
    ok.content = {
      [contentType]: op.response?.schema ? { schema: responseJsonSchema(op.response.schema) } : {},
    };
  }
  const out: JsonSchema = {
    operationId: `${op.method}${op.path.replace(/\{(\w+)\}/g, 'By-$1').replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ?? '').toUpperCase())}`,
    summary: op.summary,
    description: notes.filter(Boolean).join('\n\n'),
    tags: [op.tag],
    'x-switchboard-access': op.access,
    security: security(op, scope),
    responses: { [status]: ok, default: { $ref: '#/components/responses/Error' } },
  };
  const params = parameters(op);
  if (params.length) out.parameters = params;
  const content: Record<string, JsonSchema> = {};
  if (op.body) content['application/json'] = { schema: requestJsonSchema(op.body) };
  if (op.upload === 'multipart/form-data') {
    content[op.upload] = {
      schema: {
        type: 'object',
        properties: { file: { type: 'string', contentMediaType: 'application/octet-stream' } },
      },
    };
  } else if (op.upload) {
    content[op.upload] = { schema: { type: 'string' } };
  }
  if (Object.keys(content).length) out.requestBody = { required: true, content };
  return out;
}

export interface DocumentInfo {
  version: string;
}

/** The OpenAPI 3.1 document of every operation under /api. */
export function buildOpenApiDocument(operations: Operation[], info: DocumentInfo = { version: '0.1.0' }) {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of operations) {
    const item = paths[op.path] ?? {};
    paths[op.path] = item;
    if (item[op.method]) throw new Error(`${op.method.toUpperCase()} ${op.path} is described twice`);
    item[op.method] = operationObject(op);
  }
  const tags = [...new Set(operations.map((o) => o.tag))].sort().map((name) => ({ name }));
  return {
    openapi: '3.1.0',
    info: {
      title: 'Switchboard API',
      version: info.version,
      description:
        'The HTTP API of this Switchboard server. Errors answer `{ "error": { "code", "message", "details"? } }` ' +
        'with their status; a 400 names the bad field in `details.fields`. See docs/integrations.md.',
    },
    servers: [{ url: '/api' }],
    tags,
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: {
      securitySchemes: {
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'sb_session',
          description: 'The agent desk session from POST /auth/login (`__Host-sb_session` over HTTPS).',
        },
        portalSession: {
          type: 'apiKey',
          in: 'cookie',
          name: 'sb_portal',
          description:
            'The subscriber portal session from POST /portal/auth/login (`__Host-sb_portal` over HTTPS).',
        },
        apiToken: {
          type: 'http',
          scheme: 'bearer',
          description:
            'An API token from Administration → API tokens. It acts as its user, on the routes its scopes open; ' +
            "an operation's security lists the scope it needs.",
        },
      },
      schemas: { Error: responseJsonSchema(apiErrorSchema) },
      responses: {
        Error: {
          description:
            'An error: 400 bad input, 401 not signed in, 403 not allowed, 404, 409 conflict, 429 too many',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    },
  };
}
