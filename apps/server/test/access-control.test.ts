import { expect, it } from 'vitest';
import { describeEachDatabase } from './test-system';

interface RouteGroup {
  route: string;
  role: 'agent' | 'supervisor' | 'admin';
  /** JSON body for the request (POST routes). */
  body?: unknown;
  /** Status for an allowed role (default 200): proves the role got past the check to the handler. */
  allowed?: number;
}

/** Every route group with the lowest role that may use it. Later features add their groups here. */
export const routeGroups: readonly RouteGroup[] = [
  { route: 'GET /api/auth/me', role: 'agent' },
  { route: 'GET /api/agents', role: 'supervisor' },
  { route: 'GET /api/admin/users', role: 'admin' },
  { route: 'GET /api/customers', role: 'agent' },
  { route: 'GET /api/callback-plans', role: 'agent' },
  { route: 'GET /api/dial-tasks', role: 'agent' },
  { route: 'GET /api/cdr', role: 'agent' },
  { route: 'GET /api/cdr/recent', role: 'agent' },
  { route: 'GET /api/cdr/export.csv', role: 'agent' },
  { route: 'GET /api/cdr/queues', role: 'agent' },
  { route: 'GET /api/recordings', role: 'agent' },
  { route: 'GET /api/queues', role: 'agent' },
  { route: 'GET /api/queues/1/waiting', role: 'agent' },
  { route: 'GET /api/queues/1/stats', role: 'agent' },
  { route: 'GET /api/agents/me/state', role: 'agent' },
  { route: 'GET /api/agents/3/state', role: 'supervisor' },
  { route: 'GET /api/admin/settings', role: 'admin' },
  { route: 'GET /api/admin/queues', role: 'admin' },
  { route: 'GET /api/admin/pause-reasons', role: 'admin' },
  { route: 'GET /api/admin/inbound-routes', role: 'admin' },
  { route: 'GET /api/admin/trunks', role: 'admin' },
  { route: 'GET /api/admin/sip-bans', role: 'admin' },
  // Lifting a ban that does not exist: 404 from the handler.
  { route: 'DELETE /api/admin/sip-bans/192.0.2.1', role: 'admin', allowed: 404 },
  // Nobody in the demo data has a registered desk phone (web extensions, or none): 409 from the handler.
  { route: 'POST /api/calls/click-to-dial', role: 'agent', body: { number: '2025550143' }, allowed: 409 },
  {
    route: 'POST /api/calls/3f1c2a9e-8b7d-4c6e-9a5b-1d2e3f4a5b6c/hangup',
    role: 'agent',
    body: {},
    allowed: 404,
  },
  // Call control: the viewer's calls; on a call that is not theirs (none here), 404.
  { route: 'GET /api/calls/current', role: 'agent' },
  { route: 'GET /api/calls/live', role: 'supervisor' },
  {
    route: 'POST /api/calls/3f1c2a9e-8b7d-4c6e-9a5b-1d2e3f4a5b6c/hold',
    role: 'agent',
    body: { held: true },
    allowed: 404,
  },
  {
    route: 'POST /api/calls/3f1c2a9e-8b7d-4c6e-9a5b-1d2e3f4a5b6c/mute',
    role: 'agent',
    body: { muted: true },
    allowed: 404,
  },
  {
    route: 'POST /api/calls/3f1c2a9e-8b7d-4c6e-9a5b-1d2e3f4a5b6c/dtmf',
    role: 'agent',
    body: { digits: '1' },
    allowed: 404,
  },
  {
    route: 'GET /api/calls/3f1c2a9e-8b7d-4c6e-9a5b-1d2e3f4a5b6c/transfer-targets',
    role: 'agent',
    allowed: 404,
  },
  {
    route: 'POST /api/calls/3f1c2a9e-8b7d-4c6e-9a5b-1d2e3f4a5b6c/transfer',
    role: 'agent',
    body: { to: { kind: 'number', number: '+12025550123' } },
    allowed: 404,
  },
  {
    route: 'POST /api/calls/3f1c2a9e-8b7d-4c6e-9a5b-1d2e3f4a5b6c/consult',
    role: 'agent',
    body: { to: { kind: 'number', number: '+12025550123' } },
    allowed: 404,
  },
  {
    route: 'POST /api/calls/3f1c2a9e-8b7d-4c6e-9a5b-1d2e3f4a5b6c/consult/complete',
    role: 'agent',
    body: {},
    allowed: 404,
  },
  {
    route: 'POST /api/calls/3f1c2a9e-8b7d-4c6e-9a5b-1d2e3f4a5b6c/consult/conference',
    role: 'agent',
    body: {},
    allowed: 404,
  },
  {
    route: 'POST /api/calls/3f1c2a9e-8b7d-4c6e-9a5b-1d2e3f4a5b6c/consult/cancel',
    role: 'agent',
    body: {},
    allowed: 404,
  },
  // Prepaid accounts and rating.
  { route: 'GET /api/admin/subscribers', role: 'admin' },
  { route: 'GET /api/admin/subscribers/1', role: 'admin' },
  { route: 'GET /api/admin/subscribers/1/ledger', role: 'admin' },
  {
    route: 'POST /api/admin/subscribers/1/credit',
    role: 'admin',
    body: { amount: 'x', reason: 'r' },
    allowed: 400,
  },
  { route: 'GET /api/admin/rate-tables', role: 'admin' },
  { route: 'GET /api/admin/rate-tables/1/rates', role: 'admin' },
  { route: 'GET /api/admin/rate-tables/1/export', role: 'admin' },
  { route: 'GET /api/admin/plans', role: 'admin' },
  { route: 'GET /api/admin/rates/quote?subscriberId=1&number=%2B442079460958', role: 'admin' },
];

const usersByRole = { agent: 'alice', supervisor: 'sam', admin: 'admin' } as const;
const rank = { agent: 0, supervisor: 1, admin: 2 } as const;

describeEachDatabase('role enforcement', (sys) => {
  for (const group of routeGroups) {
    const [method, path] = group.route.split(' ') as [string, string];
    it(`${group.route}: 401 without a session`, async () => {
      const res = await sys().client().request(method, path, group.body);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthenticated');
    });
    for (const role of ['agent', 'supervisor', 'admin'] as const) {
      const allowed = rank[role] >= rank[group.role];
      it(`${group.route}: ${role} ${allowed ? 'is allowed' : 'gets 403'}`, async () => {
        const c = sys().client();
        await c.login(usersByRole[role]);
        const res = await c.request(method, path, group.body);
        expect(res.status).toBe(allowed ? (group.allowed ?? 200) : 403);
        if (!allowed) expect(res.body.error.code).toBe('forbidden');
      });
    }
  }

  it('a subscriber session opens no desk route', async () => {
    const c = sys().client();
    await c.post('/api/portal/auth/login', { phoneNumber: '18005550100', password: 'demo' });
    for (const g of routeGroups) {
      const [method, path] = g.route.split(' ') as [string, string];
      expect((await c.request(method, path, g.body)).status).toBe(401);
    }
  });

  it('lists agents with their state for a supervisor', async () => {
    const c = sys().client();
    await c.login('sam');
    const res = await c.get('/api/agents');
    const names = res.body.agents.map((a: { username: string }) => a.username);
    expect(names).toEqual(expect.arrayContaining(['alice', 'bob', 'carol', 'dave', 'sam']));
    expect(names).not.toContain('admin');
    const dave = res.body.agents.find((a: { username: string }) => a.username === 'dave');
    expect(dave.extension).toEqual({
      number: '1004',
      type: 'sip',
      registration: { registered: false, contacts: [] },
    });
    expect(dave.state.status).toBe('logged_out');
  });
});
