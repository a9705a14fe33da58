import { Writable } from 'node:stream';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../observability/logger';
import type { AppEnv } from '../../app-env';
import { accessLog } from '.';

function loggedApp() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l));
      done();
    },
  });
  const logger = createLogger('debug', sink);
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    c.set('user', null);
    await next();
  });
  app.use('*', accessLog(logger));
  // Work the request starts and that finishes later (as a call would) logs under its id.
  app.post('/api/calls/:id', async (c) => {
    logger.info('placing the call');
    await new Promise<void>((resolve) =>
      setTimeout(() => {
        logger.warn('carrier answered 486');
        resolve();
      }, 1),
    );
    return c.json({ ok: true }, 201);
  });
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  return { app, lines };
}

describe('access log', () => {
  it('writes one line per request with its id, and stamps the lines the request causes', async () => {
    const { app, lines } = loggedApp();
    const res = await app.request('/api/calls/7', { method: 'POST', headers: { 'X-Request-Id': 'lb-42.a' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-request-id')).toBe('lb-42.a');
    const access = lines.find((l) => l.msg === 'http request');
    expect(access).toMatchObject({
      requestId: 'lb-42.a',
      method: 'POST',
      path: '/api/calls/7',
      route: '/api/calls/:id',
      status: 201,
      userId: null,
    });
    expect(typeof access?.ms).toBe('number');
    expect(lines.find((l) => l.msg === 'placing the call')?.requestId).toBe('lb-42.a');
    expect(lines.find((l) => l.msg === 'carrier answered 486')?.requestId).toBe('lb-42.a');
  });

  it('replaces an id that is not a plain token, and gives each request its own', async () => {
    const { app, lines } = loggedApp();
    const a = await app.request('/api/calls/1', {
      method: 'POST',
      headers: { 'X-Request-Id': 'x\ty; drop' },
    });
    const b = await app.request('/api/calls/2', { method: 'POST' });
    const idA = a.headers.get('x-request-id');
    const idB = b.headers.get('x-request-id');
    expect(idA).toMatch(/^[0-9a-f-]{36}$/);
    expect(idB).toMatch(/^[0-9a-f-]{36}$/);
    expect(idA).not.toBe(idB);
    expect(lines.filter((l) => l.msg === 'http request').map((l) => l.requestId)).toEqual([idA, idB]);
  });

  it('logs health and metrics probes at debug, other requests at info; lines outside requests have no id', async () => {
    const { app, lines } = loggedApp();
    await app.request('/healthz');
    const probe = lines.find((l) => l.path === '/healthz');
    expect(probe?.level).toBe(20);
    await app.request('/api/calls/3', { method: 'POST' });
    expect(lines.find((l) => l.path === '/api/calls/3')?.level).toBe(30);
    const outside: Array<Record<string, unknown>> = [];
    const logger = createLogger(
      'info',
      new Writable({
        write(chunk, _e, done) {
          outside.push(JSON.parse(String(chunk)));
          done();
        },
      }),
    );
    logger.info('timer fired');
    expect(outside[0]).not.toHaveProperty('requestId');
  });
});
