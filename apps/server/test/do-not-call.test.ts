import { expect, it } from 'vitest';
import { describeEachDatabase, loggedInAs } from './test-system';

describeEachDatabase('do-not-call list API', (sys) => {
  const count = async () =>
    Number(
      (
        await sys()
          .db.selectFrom('do_not_call')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('adds a number in E.164, refuses it twice, lists and removes it; agents cannot change it', async () => {
    const admin = await loggedInAs(sys(), 'admin');
    const added = await admin.post('/api/do-not-call', { number: '(202) 555-0188', reason: 'complaint' });
    expect(added.status).toBe(201);
    expect(added.body.entry).toMatchObject({ number: '+12025550188', reason: 'complaint' });
    expect((await admin.post('/api/do-not-call', { number: '+1 202 555 0188' })).status).toBe(409);
    expect((await admin.post('/api/do-not-call', { number: 'call me' })).status).toBe(400);
    const list = await admin.get('/api/do-not-call?search=0188');
    expect(list.body.entries.map((e: { number: string }) => e.number)).toEqual(['+12025550188']);
    const agent = await loggedInAs(sys(), 'dave');
    expect((await agent.post('/api/do-not-call', { number: '+12025550111' })).status).toBe(403);
    expect((await agent.get('/api/do-not-call')).status).toBe(403);
    expect((await admin.delete(`/api/do-not-call/${added.body.entry.id}`)).status).toBe(204);
    expect((await admin.get('/api/do-not-call?search=0188')).body.entries).toEqual([]);
  });

  it('imports a CSV all or nothing: a bad line names itself and nothing is added', async () => {
    const admin = await loggedInAs(sys(), 'admin');
    const before = await count();
    const bad = await admin.post(
      '/api/do-not-call/import',
      'number,reason\n+12025550141,asked\nnot a number,x\n',
      {
        'content-type': 'text/csv',
      },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/Line 3/);
    expect(await count()).toBe(before);
    const good = await admin.post(
      '/api/do-not-call/import',
      'number,reason\n+12025550141,asked\n(202) 555-0142,\n+12025550141,again\n',
      { 'content-type': 'text/csv' },
    );
    expect(good.status).toBe(200);
    expect(good.body).toEqual({ added: 2, alreadyListed: 0 });
    const again = await admin.post('/api/do-not-call/import', '+12025550142\n+12025550143\n', {
      'content-type': 'text/csv',
    });
    expect(again.body).toEqual({ added: 1, alreadyListed: 1 });
    expect(await count()).toBe(before + 3);
  });
});

describeEachDatabase('dialing policy API', (sys) => {
  it('shows the defaults, takes a whole policy from an admin (audited), refuses bad ones without changing it', async () => {
    const admin = await loggedInAs(sys(), 'admin');
    const sam = await loggedInAs(sys(), 'sam');
    const dave = await loggedInAs(sys(), 'dave');
    const first = await sam.get('/api/dialer/policy');
    expect(first.status).toBe(200);
    expect(first.body.policy).toMatchObject({ maxAttempts: 3, callingHours: { from: '09:00', to: '20:00' } });
    expect((await dave.get('/api/dialer/policy')).status).toBe(403);
    const policy = {
      maxAttempts: 5,
      retryDelaySeconds: { busy: 120, no_answer: 900, failed: 600, agent_unavailable: 60 },
      callingHours: { from: '08:30', to: '19:00' },
      ringSeconds: 25,
      ownerRingSeconds: 15,
      companyPrompt: 'company-name',
      callerId: '+12025550100',
    };
    expect((await sam.put('/api/dialer/policy', policy)).status).toBe(403);
    const saved = await admin.put('/api/dialer/policy', policy);
    expect(saved.status).toBe(200);
    expect(saved.body.policy).toEqual({ ...policy, pacing: null });
    for (const bad of [
      { ...policy, callingHours: { from: '25:00', to: '19:00' } },
      { ...policy, maxAttempts: 0 },
      { ...policy, robocall: true },
    ]) {
      const res = await admin.put('/api/dialer/policy', bad);
      expect(res.status).toBe(400);
    }
    expect((await sam.get('/api/dialer/policy')).body.policy).toEqual({ ...policy, pacing: null });
    const audited = await sys()
      .db.selectFrom('audit_log')
      .select(['action', 'entity_id'])
      .where('entity_id', '=', 'callbackDialing')
      .execute();
    expect(audited).toEqual([{ action: 'settings.update', entity_id: 'callbackDialing' }]);
  });

  it("sets each node's pacing, shows the caps in force, and goes back to the node's own with null", async () => {
    const admin = await loggedInAs(sys(), 'admin');
    const configured = (await admin.get('/api/dialer/policy')).body;
    expect(configured.policy.pacing).toBeNull();
    expect(configured.pacingInForce).toEqual(sys().deps.dialer.nodeLimits);
    const base = configured.policy;
    const saved = await admin.put('/api/dialer/policy', {
      ...base,
      pacing: { callsPerSecond: 0.5, maxConcurrent: 7 },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.pacingInForce).toEqual({ callsPerSecond: 0.5, maxConcurrent: 7 });
    expect(sys().deps.dialer.nodeLimits).toEqual({ callsPerSecond: 0.5, maxConcurrent: 7 });
    for (const pacing of [
      { callsPerSecond: 0, maxConcurrent: 7 },
      { callsPerSecond: 2, maxConcurrent: 1.5 },
      { callsPerSecond: 2 },
    ]) {
      const res = await admin.put('/api/dialer/policy', { ...base, pacing });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain('pacing');
    }
    expect(sys().deps.dialer.nodeLimits).toEqual({ callsPerSecond: 0.5, maxConcurrent: 7 });
    const back = await admin.put('/api/dialer/policy', { ...base, pacing: null });
    expect(back.body.pacingInForce).toEqual(configured.pacingInForce);
    expect(sys().deps.dialer.nodeLimits).toEqual(configured.pacingInForce);
  });
});
