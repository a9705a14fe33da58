import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/observability/logger';
import { enableStrictValidation } from '../src/openapi/strict-validation';
import { type RunningSystem, type SystemOptions, startSystem } from '../src/system';
import type { Defer } from './defer';

export type DatabaseKind = 'sqlite' | 'postgres';

// Every route a test calls is held to the schemas the API document lists for it.
enableStrictValidation();

const pgUrl = process.env.TEST_DATABASE_URL;

/** Runs a suite once on SQLite and once on PostgreSQL (when TEST_DATABASE_URL is set). */
export function describeEachDatabase(
  name: string,
  suite: (ctx: () => TestSystem) => void,
  options: Omit<SystemOptions, 'db'> = {},
): void {
  for (const kind of ['sqlite', 'postgres'] as const) {
    if (kind === 'postgres' && !pgUrl) {
      describe.skip(`${name} [postgres] — skipped: set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test to run`, () => {
        suite(() => {
          throw new Error('unreachable');
        });
      });
      continue;
    }
    describe(`${name} [${kind}]`, () => {
      let system: TestSystem;
      beforeAll(async () => {
        system = await TestSystem.start(kind, {}, options);
      });
      afterAll(async () => {
        await system?.stop();
      });
      suite(() => system);
    });
  }
}

/** A whole Switchboard on a throwaway database and a free port, with demo data. */
export class TestSystem {
  private constructor(
    readonly kind: DatabaseKind,
    readonly system: RunningSystem,
    private readonly cleanup: () => Promise<void>,
  ) {}

  get url() {
    return this.system.url;
  }
  get db() {
    return this.system.deps.db;
  }
  get deps() {
    return this.system.deps;
  }
  /** The SIP UDP/TCP port on 127.0.0.1 (a free one per test system). */
  get sipPort() {
    return this.system.sipPort;
  }

  static async start(
    kind: DatabaseKind,
    env: Record<string, string> = {},
    options: Omit<SystemOptions, 'db'> = {},
  ): Promise<TestSystem> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-test-'));
    let databaseUrl = `sqlite:${path.join(dir, 'test.db')}`;
    let dropDatabase = async () => {};
    if (kind === 'postgres') {
      const name = `sb_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
      const admin = new pg.Client({ connectionString: pgUrl });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
      const url = new URL(pgUrl!);
      url.pathname = `/${name}`;
      databaseUrl = url.toString();
      dropDatabase = async () => {
        const c = new pg.Client({ connectionString: pgUrl });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      };
    }
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      RECORDINGS_DIR: path.join(dir, 'recordings'),
      LOG_LEVEL: 'silent',
      WEB_DIST_DIR: path.join(dir, 'no-web-build'),
      SIP_HOST: '127.0.0.1',
      SIP_PORT: '0',
      // Every test peer sends from 127.0.0.1, faster than any one phone would and with wrong
      // secrets on purpose: the per-source SIP limits would ban it mid-suite. Their own tests
      // (security-sip.test.ts) set them.
      SIP_RATE_LIMIT_REQUESTS: '1000000',
      SIP_AUTH_FAILURES_BEFORE_BAN: '1000000',
      ...env,
    });
    config.http.port = 0;
    const system = await startSystem(config, { logger: createLogger('silent'), ...options });
    // Most suites are about calls, not signing in: their agents are Idle once registered, as an
    // administrator may choose. agent-state.test.ts covers the Offline default.
    const signIn = { status: 'idle', reason: null } as const;
    await system.deps.settings.set('agentSignIn', signIn);
    system.deps.agents.setSignInState(signIn);
    return new TestSystem(kind, system, async () => {
      await system.stop();
      await dropDatabase();
      rmSync(dir, { recursive: true, force: true });
    });
  }

  async stop() {
    await this.cleanup();
  }

  client() {
    return new ApiClient(this.url);
  }
}

/** An API client logged in as `username` (the demo users' password is their username). */
/**
 * Two server nodes on one PostgreSQL database, `node-a` and `node-b` (node B joins node A's database;
 * its own empty one is created and dropped unused); both are stopped when the test ends.
 */
export async function startTwoNodes(defer: Defer): Promise<[TestSystem, TestSystem]> {
  const nodeA = await TestSystem.start('postgres', { NODE_ID: 'node-a' });
  defer(() => nodeA.stop());
  const config = nodeA.deps.config.database;
  if (config.kind !== 'postgres') throw new Error('node A is not on PostgreSQL');
  const nodeB = await TestSystem.start('postgres', { NODE_ID: 'node-b', DATABASE_URL: config.url });
  defer(() => nodeB.stop());
  return [nodeA, nodeB];
}

export async function loggedInAs(sys: TestSystem, username: string): Promise<ApiClient> {
  const c = sys.client();
  await c.login(username);
  return c;
}

/** The user's id in the system's database. */
export async function userId(sys: TestSystem, username: string): Promise<number> {
  const row = await sys.db
    .selectFrom('users')
    .select('id')
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The CDR of a call, by the switch's call id. */
export function cdrOf(sys: TestSystem, callId: string) {
  return sys.db.selectFrom('calls').selectAll().where('call_uuid', '=', callId).executeTakeFirstOrThrow();
}

/** How many customers the CRM holds. */
export async function customerCount(sys: TestSystem): Promise<number> {
  const r = await sys.db
    .selectFrom('customers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** fetch with a cookie jar, as a browser on the same origin would send it. */
export class ApiClient {
  private cookies = new Map<string, string>();
  constructor(readonly baseUrl: string) {}

  async request(method: string, p: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(this.baseUrl + p, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [k, ...v] = pair!.split('=');
      const value = v.join('=');
      if (/max-age=0/i.test(line) || value === '') this.cookies.delete(k!.trim());
      else this.cookies.set(k!.trim(), value);
    }
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies loosely
    return { status: res.status, headers: res.headers, body: json as any, text };
  }

  get(p: string) {
    return this.request('GET', p);
  }
  post(p: string, body?: unknown, headers?: Record<string, string>) {
    return this.request('POST', p, body ?? {}, headers);
  }
  put(p: string, body?: unknown) {
    return this.request('PUT', p, body ?? {});
  }
  patch(p: string, body?: unknown) {
    return this.request('PATCH', p, body ?? {});
  }
  delete(p: string) {
    return this.request('DELETE', p);
  }

  async login(username: string, password = username) {
    const res = await this.post('/api/auth/login', { username, password });
    if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${res.text}`);
    return res;
  }

  cookieNames() {
    return [...this.cookies.keys()];
  }

  /** The Cookie header this client sends (for requests made without it, e.g. WebSocket, SSE). */
  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}
