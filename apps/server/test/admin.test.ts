import { expect, it } from 'vitest';
import { type ApiClient, describeEachDatabase } from './test-system';

describeEachDatabase('administration', (sys) => {
  let seq = 0;
  const unique = (p: string) => `${p}${process.pid % 1000}${++seq}`;
  async function admin(): Promise<ApiClient> {
    const c = sys().client();
    await c.login('admin');
    return c;
  }
  async function auditCount(action: string) {
    const r = await sys()
      .db.selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', '=', action)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
  const fieldsOf = (res: { body: { error: { details?: { fields?: { field: string }[] } } } }) =>
    (res.body.error.details?.fields ?? []).map((f) => f.field);

  it('refuses every admin change to agents and supervisors (403) and to no session (401)', async () => {
    const changes: [string, string, unknown][] = [
      [
        'PUT',
        '/api/admin/settings',
        { numberMasking: { mode: 'all', keepFirst: 0, keepLast: 0, exemptSupervisors: false } },
      ],
      [
        'POST',
        '/api/admin/users',
        { username: 'mallory', displayName: 'M', role: 'admin', password: 'mallory' },
      ],
      ['PATCH', '/api/admin/users/1', { role: 'admin' }],
      ['POST', '/api/admin/users/1/password', { password: 'pwned-pw' }],
      ['PATCH', '/api/admin/users/1/extension', { recordingEnabled: true }],
      ['POST', '/api/admin/queues', { name: 'evil' }],
      ['PUT', '/api/admin/queues/1/members/1', { penalty: 0 }],
      ['DELETE', '/api/admin/queues/1/members/1', undefined],
      ['POST', '/api/admin/pause-reasons', { name: 'evil' }],
      ['POST', '/api/admin/inbound-routes', { number: '5559999', targetType: 'queue', targetId: '1' }],
      ['DELETE', '/api/admin/inbound-routes/1', undefined],
      ['POST', '/api/admin/trunks', { name: 'evil', uri: 'sip:evil.example' }],
    ];
    const anonymous = sys().client();
    const agent = sys().client();
    await agent.login('alice');
    const supervisor = sys().client();
    await supervisor.login('sam');
    const auditBefore = await sys()
      .db.selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    for (const [method, path, body] of changes) {
      expect((await anonymous.request(method, path, body)).status, `${method} ${path}`).toBe(401);
      expect((await agent.request(method, path, body)).status, `${method} ${path}`).toBe(403);
      expect((await supervisor.request(method, path, body)).status, `${method} ${path}`).toBe(403);
    }
    const auditAfter = await sys()
      .db.selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(auditAfter.n)).toBe(Number(auditBefore.n));
    expect(
      await sys().db.selectFrom('users').select('id').where('username', '=', 'mallory').executeTakeFirst(),
    ).toBeUndefined();
  });

  it('reads and writes the number masking setting, validated and audit logged', async () => {
    const c = await admin();
    const get = await c.get('/api/admin/settings');
    expect(get.status).toBe(200);
    expect(get.body.numberMasking.mode).toBe('off');
    const before = await auditCount('settings.update');
    const next = { mode: 'partial', keepFirst: 2, keepLast: 2, exemptSupervisors: false };
    const put = await c.put('/api/admin/settings', { numberMasking: next });
    expect(put.status).toBe(200);
    expect(put.body.numberMasking).toEqual(next);
    expect(await auditCount('settings.update')).toBe(before + 1);

    for (const [body, field] of [
      [{ numberMasking: { ...next, mode: 'some' } }, 'numberMasking.mode'],
      [{ numberMasking: { ...next, keepFirst: 20 } }, 'numberMasking.keepFirst'],
      [{ numberMasking: { ...next, extra: 1 } }, 'numberMasking'],
      [{ other: 1 }, 'body'],
    ] as const) {
      const res = await c.put('/api/admin/settings', body);
      expect(res.status).toBe(400);
      expect(fieldsOf(res).join(',')).toContain(field);
    }
    expect((await c.get('/api/admin/settings')).body.numberMasking).toEqual(next);
    const off = await c.put('/api/admin/settings', {
      numberMasking: { mode: 'off', keepFirst: 2, keepLast: 2, exemptSupervisors: true },
    });
    expect(off.status).toBe(200);
  });

  it('creates a user with a SIP extension who can then sign in; the secret is never returned', async () => {
    const c = await admin();
    const username = unique('erin');
    const res = await c.post('/api/admin/users', {
      username,
      displayName: 'Erin Example',
      role: 'agent',
      agentId: String(7000 + seq),
      password: 'erin-pass',
      extension: {
        number: String(7000 + seq),
        type: 'sip',
        sipSecret: 'erin-secret-1',
        recordingEnabled: true,
      },
    });
    expect(res.status).toBe(201);
    const list = await c.get('/api/admin/users');
    const erin = list.body.users.find((u: { username: string }) => u.username === username);
    expect(erin.extension).toMatchObject({ type: 'sip', recordingEnabled: true, hasSipSecret: true });
    expect(list.text).not.toContain('erin-secret-1');
    const audit = await sys()
      .db.selectFrom('audit_log')
      .select('after')
      .where('action', '=', 'user.create')
      .execute();
    expect(audit.map((a) => a.after).join()).not.toContain('erin-secret-1');
    expect(audit.map((a) => a.after).join()).not.toContain('erin-pass');

    const erinClient = sys().client();
    const login = await erinClient.post('/api/auth/login', { username, password: 'erin-pass' });
    expect(login.status).toBe(200);
    expect((await erinClient.get('/api/auth/me')).body.user.extension.type).toBe('sip');

    const dup = await c.post('/api/admin/users', {
      username,
      displayName: 'Again',
      role: 'agent',
      password: 'whatever',
    });
    expect(dup.status).toBe(409);
  });

  it('rejects bad users with 400 naming the field and creates nothing', async () => {
    const c = await admin();
    const before = (await c.get('/api/admin/users')).body.users.length;
    for (const [body, field] of [
      [{ username: '1x', displayName: 'X', role: 'agent', password: 'abcd' }, 'username'],
      [{ username: 'okname', displayName: '', role: 'agent', password: 'abcd' }, 'displayName'],
      [{ username: 'okname', displayName: 'X', role: 'root', password: 'abcd' }, 'role'],
      [{ username: 'okname', displayName: 'X', role: 'agent', password: 'ab' }, 'password'],
      [
        {
          username: 'okname',
          displayName: 'X',
          role: 'agent',
          password: 'abcd',
          extension: { number: '77', type: 'sip' },
        },
        'extension.sipSecret',
      ],
      [
        {
          username: 'okname',
          displayName: 'X',
          role: 'agent',
          password: 'abcd',
          extension: { number: 'x1', type: 'web' },
        },
        'extension.number',
      ],
    ] as const) {
      const res = await c.post('/api/admin/users', body);
      expect(res.status, field).toBe(400);
      expect(fieldsOf(res), field).toContain(field);
    }
    expect((await c.get('/api/admin/users')).body.users.length).toBe(before);
  });

  it('disabling a user ends their sessions and refuses their login; enabling lets them back', async () => {
    const c = await admin();
    const username = unique('frank');
    const created = await c.post('/api/admin/users', {
      username,
      displayName: 'Frank',
      role: 'agent',
      password: 'frank-pass',
    });
    const frank = sys().client();
    await frank.login(username, 'frank-pass');
    expect((await frank.get('/api/auth/me')).status).toBe(200);

    const off = await c.patch(`/api/admin/users/${created.body.id}`, { disabled: true });
    expect(off.status).toBe(200);
    expect((await frank.get('/api/auth/me')).status).toBe(401);
    expect((await sys().client().post('/api/auth/login', { username, password: 'frank-pass' })).status).toBe(
      401,
    );
    expect(await auditCount('user.disable')).toBeGreaterThan(0);

    await c.patch(`/api/admin/users/${created.body.id}`, { disabled: false });
    expect((await sys().client().post('/api/auth/login', { username, password: 'frank-pass' })).status).toBe(
      200,
    );
  });

  it('an admin cannot disable themselves', async () => {
    const c = await admin();
    const me = (await c.get('/api/auth/me')).body.user;
    const res = await c.patch(`/api/admin/users/${me.id}`, { disabled: true });
    expect(res.status).toBe(409);
    expect((await c.get('/api/auth/me')).status).toBe(200);
  });

  it('resets a password: old sessions end, the new password works, the old one does not', async () => {
    const c = await admin();
    const username = unique('gina');
    const created = await c.post('/api/admin/users', {
      username,
      displayName: 'Gina',
      role: 'agent',
      password: 'old-pass',
    });
    const gina = sys().client();
    await gina.login(username, 'old-pass');
    const res = await c.post(`/api/admin/users/${created.body.id}/password`, { password: 'new-pass' });
    expect(res.status).toBe(200);
    expect((await gina.get('/api/auth/me')).status).toBe(401);
    expect((await sys().client().post('/api/auth/login', { username, password: 'old-pass' })).status).toBe(
      401,
    );
    expect((await sys().client().post('/api/auth/login', { username, password: 'new-pass' })).status).toBe(
      200,
    );
    const bad = await c.post(`/api/admin/users/${created.body.id}/password`, { password: '' });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad)).toContain('password');
    expect((await c.post('/api/admin/users/999999/password', { password: 'abcdef' })).status).toBe(404);
  });

  it('enables recording per extension and adds an extension to a user without one', async () => {
    const c = await admin();
    const bob = (await c.get('/api/admin/users')).body.users.find(
      (u: { username: string }) => u.username === 'bob',
    );
    expect(bob.extension.recordingEnabled).toBe(false);
    const res = await c.patch(`/api/admin/users/${bob.id}/extension`, { recordingEnabled: true });
    expect(res.status).toBe(200);
    const after = (await c.get('/api/admin/users')).body.users.find(
      (u: { username: string }) => u.username === 'bob',
    );
    expect(after.extension.recordingEnabled).toBe(true);
    await c.patch(`/api/admin/users/${bob.id}/extension`, { recordingEnabled: false });
    const toSip = await c.patch(`/api/admin/users/${bob.id}/extension`, { type: 'sip' });
    expect(toSip.status).toBe(400);
    expect(fieldsOf(toSip)).toContain('sipSecret');

    const username = unique('hugo');
    const created = await c.post('/api/admin/users', {
      username,
      displayName: 'Hugo',
      role: 'agent',
      password: 'hugo-pass',
    });
    const number = String(7500 + seq);
    const ext = await c.post(`/api/admin/users/${created.body.id}/extension`, { number, type: 'web' });
    expect(ext.status).toBe(201);
    expect(
      (await c.post(`/api/admin/users/${created.body.id}/extension`, { number: '7999', type: 'web' })).status,
    ).toBe(409);
    const taken = await c.post('/api/admin/users', {
      username: unique('ivy'),
      displayName: 'Ivy',
      role: 'agent',
      password: 'ivy-pass',
      extension: { number, type: 'web' },
    });
    expect(taken.status).toBe(409);
  });

  it('manages queues and memberships with penalties', async () => {
    const c = await admin();
    const name = unique('billing');
    const q = await c.post('/api/admin/queues', { name, strategy: 'round-robin' });
    expect(q.status).toBe(201);
    expect((await c.post('/api/admin/queues', { name })).status).toBe(409);
    const bad = await c.post('/api/admin/queues', { name: '', strategy: 'ring-all' });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad)).toContain('name');

    const users = (await c.get('/api/admin/users')).body.users;
    const alice = users.find((u: { username: string }) => u.username === 'alice');
    const add = await c.put(`/api/admin/queues/${q.body.id}/members/${alice.id}`, { penalty: 3 });
    expect(add.status).toBe(200);
    const change = await c.put(`/api/admin/queues/${q.body.id}/members/${alice.id}`, { penalty: 5 });
    expect(change.status).toBe(200);
    const badPenalty = await c.put(`/api/admin/queues/${q.body.id}/members/${alice.id}`, { penalty: -1 });
    expect(badPenalty.status).toBe(400);
    expect(fieldsOf(badPenalty)).toContain('penalty');
    const list = await c.get('/api/admin/queues');
    const queue = list.body.queues.find((x: { name: string }) => x.name === name);
    expect(queue.strategy).toBe('round-robin');
    expect(queue.members).toEqual([expect.objectContaining({ userId: alice.id, penalty: 5 })]);
    expect((await c.delete(`/api/admin/queues/${q.body.id}/members/${alice.id}`)).status).toBe(204);
    expect((await c.delete(`/api/admin/queues/${q.body.id}/members/${alice.id}`)).status).toBe(404);
    expect(await auditCount('queue_member.update')).toBeGreaterThan(0);
  });

  it('sets and reads back every queue setting, and the ACD uses them after the change', async () => {
    const c = await admin();
    const list0 = (await c.get('/api/admin/queues')).body;
    expect(list0.holdMusic).toEqual(['hold-music', 'hold-music-bright']);
    const sales = list0.queues.find((q: { name: string }) => q.name === 'sales');
    const name = unique('settings');
    const settings = {
      name,
      strategy: 'fewest-calls',
      ringTimeoutS: 25,
      retryDelayS: 7,
      wrapupS: 30,
      maxNoAnswer: 5,
      maxWaitS: 120,
      maxLength: 4,
      overflow: { type: 'queue', target: String(sales.id) },
      holdMusic: 'hold-music-bright',
      announceIntervalS: 45,
      serviceLevelS: 30,
      serviceLevelTargetPercent: 90,
    };
    const created = await c.post('/api/admin/queues', settings);
    expect(created.status).toBe(201);
    const id: number = created.body.id;
    const read = async () =>
      (await c.get('/api/admin/queues')).body.queues.find((q: { id: number }) => q.id === id);
    expect(await read()).toMatchObject({ id, ...settings });
    expect(sys().deps.queues.dispatcher(id)?.queueConfig).toMatchObject({
      retryDelayS: 7,
      maxNoAnswer: 5,
      maxLength: 4,
      overflow: { type: 'queue', queueId: sales.id },
      holdMusic: 'hold-music-bright',
      announceIntervalS: 45,
      serviceLevelS: 30,
    });

    const changes = {
      retryDelayS: 0,
      maxNoAnswer: 0,
      maxLength: 0,
      overflow: { type: 'extension', target: '1004' },
      holdMusic: null,
      announceIntervalS: 0,
      serviceLevelS: 15,
      serviceLevelTargetPercent: 70,
    };
    const updated = await c.patch(`/api/admin/queues/${id}`, changes);
    expect(updated.status).toBe(200);
    expect(await read()).toMatchObject({ ...settings, ...changes });
    expect(sys().deps.queues.dispatcher(id)?.queueConfig).toMatchObject({
      retryDelayS: 0,
      maxNoAnswer: 0,
      maxLength: 0,
      overflow: { type: 'extension', extension: '1004' },
      holdMusic: null,
      announceIntervalS: 0,
      serviceLevelS: 15,
    });
    // Overflow "hang up" keeps no target; a partial update leaves the rest as it was.
    expect((await c.patch(`/api/admin/queues/${id}`, { overflow: { type: 'hangup' } })).status).toBe(200);
    expect(await read()).toMatchObject({ overflow: { type: 'hangup', target: null }, serviceLevelS: 15 });
    expect(
      (await c.patch(`/api/admin/queues/${id}`, { overflow: { type: null, target: null } })).status,
    ).toBe(200);
    expect((await read()).overflow).toEqual({ type: null, target: null });

    // Defaults of a queue created with a name only.
    const plain = await c.post('/api/admin/queues', { name: unique('plain') });
    const plainRow = (await c.get('/api/admin/queues')).body.queues.find(
      (q: { id: number }) => q.id === plain.body.id,
    );
    expect(plainRow).toMatchObject({
      retryDelayS: 2,
      maxNoAnswer: 3,
      maxLength: 0,
      overflow: { type: null, target: null },
      holdMusic: null,
      announceIntervalS: 60,
      serviceLevelS: 20,
      serviceLevelTargetPercent: 80,
    });
    expect(await auditCount('queue.update')).toBeGreaterThan(0);
    const entry = await sys()
      .db.selectFrom('audit_log')
      .select(['after'])
      .where('action', '=', 'queue.update')
      .where('entity_id', '=', String(id))
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const after = typeof entry.after === 'string' ? JSON.parse(entry.after) : entry.after;
    expect(after).toMatchObject({ holdMusic: null, maxLength: 0 });
  });

  it('refuses bad queue settings with the field named, changing nothing', async () => {
    const c = await admin();
    const queues = (await c.get('/api/admin/queues')).body.queues;
    const sales = queues.find((q: { name: string }) => q.name === 'sales');
    const name = unique('strict');
    const q = await c.post('/api/admin/queues', { name, maxLength: 3, announceIntervalS: 30 });
    expect(q.status).toBe(201);
    const id: number = q.body.id;
    const before = (await c.get('/api/admin/queues')).body.queues.find((x: { id: number }) => x.id === id);
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ retryDelayS: -1 }, 'retryDelayS', /At least 0/],
      [{ retryDelayS: 301 }, 'retryDelayS', /At most 300/],
      [{ maxNoAnswer: 1.5 }, 'maxNoAnswer', /Whole/],
      [{ maxNoAnswer: 101 }, 'maxNoAnswer', /At most 100/],
      [{ maxLength: -1 }, 'maxLength', /unlimited/],
      [{ announceIntervalS: 5 }, 'announceIntervalS', /at least 15/],
      [{ announceIntervalS: 3601 }, 'announceIntervalS', /At most 3600/],
      [{ serviceLevelS: 0 }, 'serviceLevelS', /At least 5/],
      [{ serviceLevelTargetPercent: 0 }, 'serviceLevelTargetPercent', /At least 1 %/],
      [{ serviceLevelTargetPercent: 101 }, 'serviceLevelTargetPercent', /At most 100 %/],
      [{ holdMusic: 'goodbye' }, 'holdMusic', /No such music/],
      [{ holdMusic: '../prompts/hold-music' }, 'holdMusic', /No such music/],
      [{ overflow: { type: 'elsewhere', target: null } }, 'overflow.type', /Choose queue/],
      [{ overflow: { type: 'queue', target: String(id) } }, 'overflow.target', /itself/],
      [{ overflow: { type: 'queue', target: '999999' } }, 'overflow.target', /No such queue/],
      [{ overflow: { type: 'queue', target: 'sales' } }, 'overflow.target', /Choose a queue/],
      [{ overflow: { type: 'queue', target: null } }, 'overflow.target', /Choose a queue/],
      [{ overflow: { type: 'extension', target: '9999' } }, 'overflow.target', /No such extension/],
      [{ overflow: { type: 'extension' } }, 'overflow.target', /Choose an extension/],
      [{ overflow: { type: 'hangup', target: String(sales.id) } }, 'overflow.target', /no target/],
      [{ overflow: { type: null, target: '1004' } }, 'overflow.target', /no target/],
    ];
    for (const [body, field, message] of cases) {
      const res = await c.patch(`/api/admin/queues/${id}`, { ...body, wrapupS: 99 });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(fieldsOf(res), JSON.stringify(body)).toEqual([field]);
      expect(res.body.error.message, JSON.stringify(body)).toMatch(message);
    }
    const after = (await c.get('/api/admin/queues')).body.queues.find((x: { id: number }) => x.id === id);
    expect(after).toEqual(before);
    // The same checks on create, and nothing created.
    const bad = await c.post('/api/admin/queues', {
      name: unique('never'),
      overflow: { type: 'extension', target: '9999' },
    });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad)).toEqual(['overflow.target']);
    const badMusic = await c.post('/api/admin/queues', { name: unique('never'), holdMusic: 'nope' });
    expect(fieldsOf(badMusic)).toEqual(['holdMusic']);
    expect((await c.get('/api/admin/queues')).body.queues.length).toBe(queues.length + 1);
  });

  it('manages pause reasons', async () => {
    const c = await admin();
    const name = unique('Coaching');
    const created = await c.post('/api/admin/pause-reasons', { name, sortOrder: 9 });
    expect(created.status).toBe(201);
    const upd = await c.patch(`/api/admin/pause-reasons/${created.body.id}`, { active: false });
    expect(upd.status).toBe(200);
    const list = await c.get('/api/admin/pause-reasons');
    expect(list.body.pauseReasons).toContainEqual({ id: created.body.id, name, active: false, sortOrder: 9 });
    expect((await c.post('/api/admin/pause-reasons', { name: ' ' })).status).toBe(400);
  });

  it('manages inbound routes to a queue, an extension or a callback service, checking the target', async () => {
    const c = await admin();
    const sales = (await c.get('/api/admin/queues')).body.queues.find(
      (q: { name: string }) => q.name === 'sales',
    );
    const number = `555${String(seq).padStart(4, '0')}9`;
    const created = await c.post('/api/admin/inbound-routes', {
      number,
      targetType: 'queue',
      targetId: String(sales.id),
    });
    expect(created.status).toBe(201);
    expect(
      (await c.post('/api/admin/inbound-routes', { number, targetType: 'queue', targetId: String(sales.id) }))
        .status,
    ).toBe(409);
    const toExt = await c.put(`/api/admin/inbound-routes/${created.body.id}`, {
      number,
      targetType: 'extension',
      targetId: '1004',
    });
    expect(toExt.status).toBe(200);
    for (const body of [
      { number, targetType: 'extension', targetId: '9999' },
      { number, targetType: 'queue', targetId: '999999' },
      { number, targetType: 'callback_service', targetId: '999999' },
    ]) {
      const res = await c.put(`/api/admin/inbound-routes/${created.body.id}`, body);
      expect(res.status).toBe(400);
      expect(fieldsOf(res)).toContain('targetId');
    }
    const badNumber = await c.post('/api/admin/inbound-routes', {
      number: 'abc',
      targetType: 'queue',
      targetId: '1',
    });
    expect(fieldsOf(badNumber)).toContain('number');
    const routes = (await c.get('/api/admin/inbound-routes')).body.inboundRoutes;
    expect(routes).toContainEqual({ id: created.body.id, number, targetType: 'extension', targetId: '1004' });
    expect((await c.delete(`/api/admin/inbound-routes/${created.body.id}`)).status).toBe(204);
  });

  it('manages trunks; the password is write-only', async () => {
    const c = await admin();
    const name = unique('carrier');
    const created = await c.post('/api/admin/trunks', {
      name,
      uri: 'sip:carrier.example.com:5060',
      username: 'acct',
      password: 'top-secret-pw',
      transport: 'tcp',
      register: true,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name, hasPassword: true, register: true, transport: 'tcp' });
    expect(created.text).not.toContain('top-secret-pw');
    const renamed = await c.patch(`/api/admin/trunks/${created.body.id}`, { register: false });
    expect(renamed.body.hasPassword).toBe(true);
    const list = await c.get('/api/admin/trunks');
    expect(list.text).not.toContain('top-secret-pw');
    expect(list.body.trunks.find((t: { id: number }) => t.id === created.body.id)).not.toHaveProperty(
      'password',
    );
    const auditRows = await sys()
      .db.selectFrom('audit_log')
      .select(['before', 'after'])
      .where('entity', '=', 'trunk')
      .execute();
    expect(JSON.stringify(auditRows)).not.toContain('top-secret-pw');
    const cleared = await c.patch(`/api/admin/trunks/${created.body.id}`, { password: null });
    expect(cleared.body.hasPassword).toBe(false);

    // The carrier's caps on the dialer's calls: shown, refused plainly when bad, in force at once.
    expect(created.body).toMatchObject({ dialerCallsPerSecond: null, dialerMaxConcurrent: null });
    const capped = await c.patch(`/api/admin/trunks/${created.body.id}`, {
      dialerCallsPerSecond: 2.5,
      dialerMaxConcurrent: 4,
    });
    expect(capped.status, capped.text).toBe(200);
    expect(capped.body).toMatchObject({ dialerCallsPerSecond: 2.5, dialerMaxConcurrent: 4 });
    expect(sys().deps.dialer.trunkLimits(created.body.id)).toEqual({ callsPerSecond: 2.5, maxConcurrent: 4 });
    for (const [field, value] of [
      ['dialerCallsPerSecond', 0],
      ['dialerMaxConcurrent', 1.5],
      ['dialerMaxConcurrent', 'many'],
    ] as const) {
      const refused = await c.patch(`/api/admin/trunks/${created.body.id}`, { [field]: value });
      expect(refused.status).toBe(400);
      expect(fieldsOf(refused)).toEqual([field]);
    }
    const uncapped = await c.patch(`/api/admin/trunks/${created.body.id}`, { dialerMaxConcurrent: null });
    expect(uncapped.body).toMatchObject({ dialerCallsPerSecond: 2.5, dialerMaxConcurrent: null });
    expect(sys().deps.dialer.trunkLimits(created.body.id)).toEqual({ callsPerSecond: 2.5 });
    const bad = await c.post('/api/admin/trunks', { name: 'x', uri: 'http://nope' });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad)).toContain('uri');
    expect((await c.delete(`/api/admin/trunks/${created.body.id}`)).status).toBe(204);
    const goneTwice = await c.delete(`/api/admin/trunks/${created.body.id}`);
    expect(goneTwice.status).toBe(404);
    expect(goneTwice.body).toEqual({ error: { code: 'not_found', message: 'No such trunk' } });
    const editGone = await c.patch(`/api/admin/trunks/${created.body.id}`, { register: false });
    expect(editGone.status).toBe(404);
    expect(editGone.body).toEqual({ error: { code: 'not_found', message: 'No such trunk' } });
  });

  it('shows supervisors the queues with real waiting counts and membership', async () => {
    const c = sys().client();
    await c.login('sam');
    const res = await c.get('/api/queues');
    expect(res.status).toBe(200);
    const sales = res.body.queues.find((q: { name: string }) => q.name === 'sales');
    expect(sales.waiting).toBe(0);
    expect(sales.members).toBe(3);
    expect(sales).toEqual(
      expect.objectContaining({
        strategy: 'longest-idle',
        pausedMembers: expect.any(Number),
        agentsAvailable: 0,
      }),
    );
    // Waiting calls are the dispatcher's (the switch enqueues them): one caller waits in sales.
    const callId = `waiting-${Date.now()}`;
    expect(sys().deps.queues.enqueue(sales.id, { callId, callerNumber: '+15550001111' })).toBe('queued');
    const after = await c.get('/api/queues');
    expect(after.body.queues.find((q: { name: string }) => q.name === 'sales').waiting).toBe(1);
    sys().deps.queues.hangup(callId);
  });

  it('the agents list carries no customer numbers to leak when masking is on', async () => {
    const c = sys().client();
    await c.login('sam');
    const res = await c.get('/api/agents');
    expect(res.text).not.toMatch(/\+\d{6,}/);
  });
});
