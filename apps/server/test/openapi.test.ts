import { Validator } from '@seriousme/openapi-schema-validator';
import { customerCreateSchema, customerListQuerySchema, updateUserSchema } from '@switchboard/shared';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createApp } from '../src/http/app';
import { parseBody, parseParams, setValidationObserver } from '../src/http/validate';
import { defineOperations } from '../src/openapi/operation';
import { apiOperations } from '../src/openapi/operations';
import {
  documentPath,
  enableStrictValidation,
  strictValidationObserver,
} from '../src/openapi/strict-validation';
import { loggedInAs, TestSystem, userId } from './test-system';

// biome-ignore lint/suspicious/noExplicitAny: the document is read loosely
type Doc = any;

function zodInput(schema: z.ZodType) {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return rest;
}

describe('the published API document', () => {
  let sys: TestSystem;
  let doc: Doc;
  beforeAll(async () => {
    sys = await TestSystem.start('sqlite');
    const admin = await loggedInAs(sys, 'admin');
    const res = await admin.get('/api/openapi.json');
    expect(res.status, res.text).toBe(200);
    doc = res.body;
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('validates as OpenAPI 3.1', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('lists every route under /api, and only routes that exist', () => {
    const app = createApp(sys.deps);
    const served = new Set(
      app.routes
        // Middleware registers as ALL; the one ALL route under /api is the catch-all 404.
        .filter((r) => r.path.startsWith('/api/') && r.method !== 'ALL')
        .map((r) => `${r.method} ${documentPath(r.path)}`),
    );
    const documented = new Set(
      Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
        Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
      ),
    );
    expect(
      [...served].filter((r) => !documented.has(r)),
      'routes missing from the document',
    ).toEqual([]);
    expect(
      [...documented].filter((r) => !served.has(r)),
      'documented operations no route serves',
    ).toEqual([]);
    expect(served.size).toBeGreaterThan(150);
    // Every path placeholder is a declared path parameter.
    for (const op of apiOperations) {
      const names = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const params = doc.paths[op.path][op.method].parameters ?? [];
      expect(params.filter((p: Doc) => p.in === 'path').map((p: Doc) => p.name)).toEqual(names);
    }
  });

  it('describes requests with the zod schemas the routes validate with', () => {
    expect(doc.paths['/customers'].post.requestBody.content['application/json'].schema).toEqual(
      zodInput(customerCreateSchema),
    );
    const patchUser = doc.paths['/admin/users/{id}'].patch;
    expect(patchUser.requestBody.content['application/json'].schema).toEqual(zodInput(updateUserSchema));
    const listQuery = zodInput(customerListQuerySchema) as { properties: Record<string, unknown> };
    const listParams = doc.paths['/customers'].get.parameters as {
      name: string;
      in: string;
      schema: unknown;
    }[];
    expect(listParams.map((p) => p.name).sort()).toEqual(Object.keys(listQuery.properties).sort());
    for (const p of listParams) expect(p.schema).toEqual(listQuery.properties[p.name]);
  });

  it('answers with the response bodies it documents', async () => {
    const admin = await loggedInAs(sys, 'admin');
    const checked: string[] = [];
    for (const op of apiOperations) {
      const schema = op.response?.schema;
      if (op.method !== 'get' || !schema || op.path.includes('{') || op.access === 'subscriber') continue;
      const res = await admin.get(`/api${op.path}`);
      // Operations that need a query (a number to look up, a call to quote) are left to their own tests.
      if (res.status === 400) continue;
      expect(res.status, op.path).toBe(200);
      const parsed = schema.safeParse(res.body);
      expect(parsed.success ? null : parsed.error.issues, op.path).toBeNull();
      checked.push(op.path);
    }
    expect(checked).toEqual(expect.arrayContaining(['/auth/me', '/cdr', '/customers', '/dial-tasks']));
  });

  it('says truly who may call each operation', async () => {
    const anonymous = sys.client();
    const agent = await loggedInAs(sys, 'alice');
    const supervisor = await loggedInAs(sys, 'sam');
    const wrong: string[] = [];
    for (const op of apiOperations) {
      if (op.access === 'public') continue;
      const path = `/api${op.path.replace(/\{\w+\}/g, '1')}`;
      const body = op.method === 'get' || op.method === 'delete' ? undefined : {};
      const who: [typeof anonymous, number][] = [[anonymous, 401]];
      if (op.access === 'supervisor' || op.access === 'admin') who.push([agent, 403]);
      if (op.access === 'admin') who.push([supervisor, 403]);
      for (const [client, status] of who) {
        const res = await client.request(op.method.toUpperCase(), path, body);
        if (res.status !== status) wrong.push(`${op.method} ${op.path}: ${res.status}, not ${status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('says who may call each operation and which token scope it needs', () => {
    expect(doc.paths['/customers'].get.security).toEqual([{ session: [] }, { apiToken: ['customers:read'] }]);
    expect(doc.paths['/admin/users'].post.security).toEqual([{ session: [] }]);
    expect(doc.paths['/auth/login'].post.security).toEqual([]);
    expect(doc.paths['/portal/me'].get.security).toEqual([{ portalSession: [] }]);
    expect(doc.paths['/admin/users'].post['x-switchboard-access']).toBe('admin');
    expect(doc.components.responses.Error.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/Error',
    });
  });

  it('is for supervisors, administrators and API tokens of any scope', async () => {
    expect((await sys.client().get('/api/openapi.json')).status).toBe(401);
    const agent = await loggedInAs(sys, 'alice');
    expect((await (await loggedInAs(sys, 'sam')).get('/api/openapi.json')).status).toBe(200);
    expect((await agent.get('/api/openapi.json')).status).toBe(403);
    const admin = await loggedInAs(sys, 'admin');
    const created = await admin.post('/api/admin/api-tokens', {
      name: 'Docs reader',
      scopes: ['queues:read'],
      actsAsUserId: await userId(sys, 'admin'),
      expiresInDays: 1,
    });
    expect(created.status, created.text).toBe(201);
    const viaToken = await sys
      .client()
      .request('GET', '/api/openapi.json', undefined, { authorization: `Bearer ${created.body.secret}` });
    expect(viaToken.status, viaToken.text).toBe(200);
    expect(viaToken.body.openapi).toBe('3.1.0');
  });

  it('serves the docs page and its assets from the server', async () => {
    const page = await sys.client().get('/api/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).toContain("url: '/api/openapi.json'");
    const assets = [...page.text.matchAll(/(\/api\/docs\/assets\/[^"?]+)/g)].map((m) => m[1]!);
    expect(assets.length).toBe(3);
    const types: Record<string, RegExp> = { css: /^text\/css/, js: /^text\/javascript/, png: /^image\/png/ };
    for (const asset of assets) {
      const res = await fetch(sys.url + asset);
      expect(res.status, asset).toBe(200);
      expect(res.headers.get('content-type'), asset).toMatch(types[asset.split('.').pop()!]!);
      expect(res.headers.get('cache-control')).toContain('max-age=');
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(100);
    }
    expect((await sys.client().get('/api/docs/assets/package.json')).status).toBe(400);
    expect((await sys.client().get('/api/docs/assets/..%2Fpackage.json')).status).toBe(400);
  });
});

describe('strict validation', () => {
  afterAll(() => enableStrictValidation());

  it('fails a route that validates with a schema the document does not list', async () => {
    const documented = z.object({ id: z.coerce.number() });
    const other = z.object({ id: z.string() });
    const body = z.object({ name: z.string() });
    setValidationObserver(
      strictValidationObserver(
        defineOperations('Test', [
          { method: 'post', path: '/things/{id}', summary: 'Thing', access: 'agent', params: documented },
        ]),
      ),
    );
    const app = new Hono();
    app.onError((err, c) => c.text(err.message, 500));
    app.post('/api/things/:id', async (c) => c.json(parseParams(c, documented)));
    app.put('/api/things/:id', async (c) => c.json(parseParams(c, documented)));
    app.post('/api/others/:id', async (c) => c.json(parseParams(c, other)));
    app.patch('/api/things/:id', async (c) => {
      parseParams(c, documented);
      return c.json(await parseBody(c, body));
    });
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const ok = await app.request('/api/things/7', { method: 'POST' });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ id: 7 });

      const undocumentedRoute = await app.request('/api/others/7', { method: 'POST' });
      expect(undocumentedRoute.status).toBe(500);
      expect(await undocumentedRoute.text()).toMatch(
        /POST \/others\/\{id\} validates its params but is not in/,
      );

      const undocumentedMethod = await app.request('/api/things/7', { method: 'PUT' });
      expect(await undocumentedMethod.text()).toMatch(/PUT \/things\/\{id\} .* not in the API document/);

      setValidationObserver(
        strictValidationObserver(
          defineOperations('Test', [
            { method: 'patch', path: '/things/{id}', summary: 'Thing', access: 'agent', params: documented },
          ]),
        ),
      );
      const undocumentedBody = await app.request('/api/things/7', {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'x' }),
      });
      expect(undocumentedBody.status).toBe(500);
      expect(await undocumentedBody.text()).toMatch(
        /validates its body with a schema the API document does not list/,
      );
    } finally {
      quiet.mockRestore();
    }
  });
});
