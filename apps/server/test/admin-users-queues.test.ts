import { expect, it } from 'vitest';
import { type ApiClient, describeEachDatabase, loggedInAs, userId } from './test-system';

describeEachDatabase('administration: time zones, editing users, deleting queues', (sys) => {
  let seq = 0;
  const unique = (p: string) => `${p}${process.pid % 1000}${++seq}`;
  const admin = (): Promise<ApiClient> => loggedInAs(sys(), 'admin');
  const fieldsOf = (res: { body: { error: { details?: { fields?: { field: string }[] } } } }) =>
    (res.body.error.details?.fields ?? []).map((f) => f.field);

  it('a user sets their own time zone; an unknown zone is refused and changes nothing', async () => {
    const carol = await loggedInAs(sys(), 'carol');
    const set = await carol.patch('/api/auth/me', { timeZone: 'Asia/Tokyo' });
    expect(set.status).toBe(200);
    expect(set.body.user.timeZone).toBe('Asia/Tokyo');
    expect((await carol.get('/api/auth/me')).body.user.timeZone).toBe('Asia/Tokyo');

    const bad = await carol.patch('/api/auth/me', { timeZone: 'Mars/Olympus_Mons' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('Unknown time zone');
    expect(fieldsOf(bad)).toContain('timeZone');
    expect((await carol.patch('/api/auth/me', { role: 'admin' })).status).toBe(400);
    const me = (await carol.get('/api/auth/me')).body.user;
    expect(me).toMatchObject({ timeZone: 'Asia/Tokyo', role: 'agent' });

    // null: not chosen, the browser's zone is used again.
    expect((await carol.patch('/api/auth/me', { timeZone: null })).body.user.timeZone).toBeNull();
  });

  it('an administrator edits a user after creation: name, role, time zone, queues and extension', async () => {
    const c = await admin();
    const username = unique('edit');
    const number = String(7000 + (process.pid % 900) + seq);
    const created = await c.post('/api/admin/users', {
      username,
      displayName: 'Before Edit',
      role: 'agent',
      password: 'pass-1234',
      extension: { number, type: 'web' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    const listed = () =>
      c.get('/api/admin/users').then((r) => r.body.users.find((u: { id: number }) => u.id === id));
    // A new user has not chosen a zone: the web app shows their browser's.
    expect(await listed()).toMatchObject({ timeZone: null, queueIds: [] });

    const queues = (await c.get('/api/admin/queues')).body.queues as { id: number; name: string }[];
    const sales = queues.find((q) => q.name === 'sales')!.id;
    const support = queues.find((q) => q.name === 'support')!.id;
    const edited = await c.patch(`/api/admin/users/${id}`, {
      displayName: 'After Edit',
      role: 'supervisor',
      timeZone: 'America/New_York',
      queueIds: [sales, support],
    });
    expect(edited.status).toBe(200);
    expect(await listed()).toMatchObject({
      displayName: 'After Edit',
      role: 'supervisor',
      timeZone: 'America/New_York',
      queueIds: expect.arrayContaining([sales, support]),
    });
    // The queues list is the whole set: a queue left out is left.
    await c.put(`/api/admin/queues/${sales}/members/${id}`, { penalty: 3 });
    expect((await c.patch(`/api/admin/users/${id}`, { queueIds: [sales] })).status).toBe(200);
    const member = await sys()
      .db.selectFrom('queue_members')
      .select(['queue_id', 'penalty'])
      .where('user_id', '=', id)
      .execute();
    expect(member).toEqual([{ queue_id: sales, penalty: 3 }]);

    const badZone = await c.patch(`/api/admin/users/${id}`, { timeZone: 'Europe/Atlantis' });
    expect(badZone.status).toBe(400);
    expect(fieldsOf(badZone)).toContain('timeZone');
    const badQueue = await c.patch(`/api/admin/users/${id}`, { queueIds: [999999] });
    expect(badQueue.status).toBe(400);
    expect(badQueue.body.error.message).toContain('No such queue');
    expect(await listed()).toMatchObject({ timeZone: 'America/New_York', queueIds: [sales] });

    // The extension number changes; a number someone else has is refused with a plain sentence.
    const next = String(Number(number) + 1000);
    const moved = await c.patch(`/api/admin/users/${id}/extension`, { number: next });
    expect(moved.status).toBe(200);
    expect((await listed()).extension.number).toBe(next);
    const taken = await c.patch(`/api/admin/users/${id}/extension`, { number: '1001' });
    expect(taken.status).toBe(409);
    expect(taken.body.error.message).toBe('Extension 1001 is already in use; choose another number');
    expect((await listed()).extension.number).toBe(next);
    const dup = await c.post('/api/admin/users', {
      username: unique('dup'),
      displayName: 'Dup',
      role: 'agent',
      password: 'pass-1234',
      extension: { number: '1001', type: 'web' },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).not.toContain('extension.number');

    // Becoming an administrator leaves the queues (administrators take no queue calls).
    expect((await c.patch(`/api/admin/users/${id}`, { role: 'admin' })).status).toBe(200);
    expect((await listed()).queueIds).toEqual([]);
    const adminQueues = await c.patch(`/api/admin/users/${id}`, { queueIds: [sales] });
    expect(adminQueues.status).toBe(400);
  });

  it('deletes a queue only when nothing waits in it or sends calls to it, saying why not', async () => {
    const c = await admin();
    const name = unique('doomed');
    const created = await c.post('/api/admin/queues', { name });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    const exists = async () =>
      !!(await sys().db.selectFrom('queues').select('id').where('id', '=', id).executeTakeFirst());

    // A caller waits in it.
    const callId = `doomed-${Date.now()}`;
    expect(sys().deps.queues.enqueue(id, { callId, callerNumber: '+15550002222' })).toBe('queued');
    const waiting = await c.delete(`/api/admin/queues/${id}`);
    expect(waiting.status).toBe(409);
    expect(waiting.body.error.message).toBe(`${name} cannot be deleted: 1 call is waiting in it`);
    sys().deps.queues.hangup(callId);

    // An inbound route, another queue's overflow, a call flow and an open callback plan point at it.
    const routeNumber = `55${Date.now() % 10_000_000}`;
    const route = await c.post('/api/admin/inbound-routes', {
      number: routeNumber,
      targetType: 'queue',
      targetId: String(id),
    });
    expect(route.status).toBe(201);
    const spill = await c.post('/api/admin/queues', {
      name: unique('spill'),
      overflow: { type: 'queue', target: String(id) },
    });
    expect(spill.status).toBe(201);
    const now = Date.now();
    const flowName = unique('flow');
    const flow = await sys()
      .db.insertInto('call_flows')
      .values({
        name: flowName,
        description: null,
        draft: JSON.stringify({
          start: 'q',
          components: [{ id: 'q', type: 'queue', settings: { queueId: id }, exits: {} }],
        }),
        published_version: null,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const plan = await sys()
      .db.insertInto('callback_plans')
      .values({
        number: '+15550003333',
        owner_user_id: await userId(sys(), 'alice'),
        due_at: now + 3_600_000,
        queue_id: id,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const refused = await c.delete(`/api/admin/queues/${id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.details.reasons).toHaveLength(4);
    expect(refused.body.error.message).toContain(`inbound routes send calls to it (${routeNumber})`);
    expect(refused.body.error.message).toContain('queues overflow into it');
    expect(refused.body.error.message).toContain(`call flows send calls to it (${flowName})`);
    expect(refused.body.error.message).toContain('1 open callback plan is for it');
    expect(await exists()).toBe(true);

    await c.delete(`/api/admin/inbound-routes/${route.body.id}`);
    await c.patch(`/api/admin/queues/${spill.body.id}`, { overflow: { type: 'hangup', target: null } });
    await sys().db.deleteFrom('call_flows').where('id', '=', flow.id).execute();
    await sys().db.updateTable('callback_plans').set({ status: 'done' }).where('id', '=', plan.id).execute();
    await c.put(`/api/admin/queues/${id}/members/${await userId(sys(), 'bob')}`, { penalty: 0 });

    expect((await c.delete(`/api/admin/queues/${id}`)).status).toBe(204);
    expect(await exists()).toBe(false);
    expect((await c.delete(`/api/admin/queues/${id}`)).status).toBe(404);
    const audit = await sys()
      .db.selectFrom('audit_log')
      .select('entity_id')
      .where('action', '=', 'queue.delete')
      .execute();
    expect(audit.map((a) => Number(a.entity_id))).toContain(id);
    const agent = await loggedInAs(sys(), 'alice');
    expect((await agent.delete(`/api/admin/queues/${spill.body.id}`)).status).toBe(403);
  });
});
