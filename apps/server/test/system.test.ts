import { expect, it } from 'vitest';
import { describeEachDatabase } from './test-system';

describeEachDatabase('system', (sys) => {
  it('reports health', async () => {
    const res = await sys().client().get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('names the failing part with 503', async () => {
    sys().system.deps.healthChecks.push({
      name: 'sip',
      check: async () => {
        throw new Error('listener down');
      },
    });
    try {
      const res = await sys().client().get('/healthz');
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ status: 'failing', failing: ['sip'] });
    } finally {
      sys().system.deps.healthChecks.pop();
    }
  });

  it('exposes Prometheus metrics with HTTP counts by route pattern', async () => {
    const c = sys().client();
    await c.get('/api/auth/me');
    const res = await c.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    expect(res.text).toMatch(
      /switchboard_http_requests_total\{method="GET",route="\/api\/auth\/me",status="401"\} \d+/,
    );
    expect(res.text).toMatch(/switchboard_http_request_duration_seconds_bucket/);
    expect(res.text).toMatch(/process_cpu_user_seconds_total/);
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const res = await sys().client().get('/api/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('seeds the demo data described in the README', async () => {
    const db = sys().db;
    const count = async (t: 'customers' | 'calls' | 'queues' | 'inbound_routes') =>
      Number(
        (
          await db
            .selectFrom(t)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count('customers')).toBe(50);
    expect(await count('calls')).toBe(2000);
    expect(await count('queues')).toBe(2);
    const routes = await db
      .selectFrom('inbound_routes')
      .select(['number', 'target_type'])
      .orderBy('number')
      .execute();
    expect(routes).toEqual([
      { number: '5550100', target_type: 'queue' },
      { number: '5550101', target_type: 'queue' },
      { number: '5550102', target_type: 'flow' },
      { number: '5550104', target_type: 'extension' },
      { number: '5550199', target_type: 'callback_service' },
    ]);
    const members = await db
      .selectFrom('queue_members')
      .innerJoin('queues', 'queues.id', 'queue_members.queue_id')
      .innerJoin('users', 'users.id', 'queue_members.user_id')
      .select(['queues.name as queue', 'users.username'])
      .orderBy('queues.name')
      .orderBy('users.username')
      .execute();
    expect(members.map((m) => `${m.queue}:${m.username}`)).toEqual([
      'sales:alice',
      'sales:bob',
      'sales:sam',
      'support:carol',
      'support:dave',
      'support:sam',
    ]);
    const dave = await db
      .selectFrom('extensions')
      .selectAll()
      .where('number', '=', '1004')
      .executeTakeFirstOrThrow();
    expect(dave).toMatchObject({ type: 'sip', sip_secret: 'dave-secret' });
    const hashes = await db.selectFrom('users').select('password_hash').execute();
    for (const h of hashes) expect(h.password_hash).toMatch(/^scrypt\$/);
  });
});
