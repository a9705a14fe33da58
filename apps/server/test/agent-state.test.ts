import type { LiveEvent } from '@switchboard/shared';
import { expect, it } from 'vitest';
import { AgentStateService } from '../src/agents/agent-state-service';
import { createLogger } from '../src/observability/logger';
import { describeEachDatabase, TestSystem, userId } from './test-system';

async function queueId(sys: TestSystem, name: string) {
  const row = await sys.db
    .selectFrom('queues')
    .select('id')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return row.id;
}
function captureEvents(sys: TestSystem) {
  const seen: LiveEvent[] = [];
  const stop = sys.deps.events.subscribe({ userId: -1, role: 'admin' }, (e) => seen.push(e.event));
  return { seen, stop };
}

describeEachDatabase('agent state', (sys) => {
  it('an agent reads their state: logged out, their queues, the configurable pause reasons', async () => {
    const c = sys().client();
    await c.login('carol');
    const res = await c.get('/api/agents/me/state');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('logged_out');
    expect(res.body.queues).toEqual([
      {
        queueId: await queueId(sys(), 'support'),
        queueName: 'support',
        paused: false,
        reason: null,
        penalty: 0,
      },
    ]);
    expect(res.body.pauseReasons).toEqual(expect.arrayContaining(['Break', 'Lunch']));
    // "missed" is the switch's own reason (too many unanswered offers), not one an agent picks.
    expect(res.body.pauseReasons).not.toContain('missed');
    const picked = await c.put('/api/agents/me/state', { status: 'paused', reason: 'missed' });
    expect(picked.status).toBe(400);
    expect(picked.body.error.message).toMatch(/^reason: /);
    expect((await c.get('/api/agents/me/state')).body.status).toBe('logged_out');
  });

  it('pausing all queues with a reason logs in, persists, audits and publishes', async () => {
    const c = sys().client();
    await c.login('alice');
    const alice = await userId(sys(), 'alice');
    const { seen, stop } = captureEvents(sys());
    const res = await c.put('/api/agents/me/state', { status: 'paused', reason: 'lunch' });
    stop();
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('paused');
    expect(res.body.reason).toBe('Lunch');
    expect(
      res.body.queues.every((q: { paused: boolean; reason: string }) => q.paused && q.reason === 'Lunch'),
    ).toBe(true);
    const state = await sys()
      .db.selectFrom('agent_states')
      .selectAll()
      .where('user_id', '=', alice)
      .executeTakeFirstOrThrow();
    expect(state.status).toBe('paused');
    expect(state.reason).toBe('Lunch');
    const members = await sys()
      .db.selectFrom('queue_members')
      .selectAll()
      .where('user_id', '=', alice)
      .execute();
    expect(
      members.every((m) => m.paused === 1 && m.pause_reason === 'Lunch' && Number(m.paused_at) > 0),
    ).toBe(true);
    const audit = await sys()
      .db.selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'agent_state.pause')
      .where('entity_id', '=', String(alice))
      .execute();
    expect(audit.length).toBeGreaterThan(0);
    expect(seen).toContainEqual(
      expect.objectContaining({ type: 'agent_state', userId: alice, status: 'paused', reason: 'Lunch' }),
    );

    const idle = await c.put('/api/agents/me/state', { status: 'idle' });
    expect(idle.body.status).toBe('idle');
    expect(idle.body.reason).toBeNull();
  });

  it('per queue: pausing one of two queues keeps the agent idle in the other', async () => {
    const c = sys().client();
    await c.login('sam');
    const support = await queueId(sys(), 'support');
    const res = await c.put('/api/agents/me/state', {
      status: 'paused',
      reason: 'Meeting',
      queueIds: [support],
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('idle');
    const byName = Object.fromEntries(res.body.queues.map((q: { queueName: string }) => [q.queueName, q]));
    expect(byName.support).toMatchObject({ paused: true, reason: 'Meeting' });
    expect(byName.sales).toMatchObject({ paused: false, reason: null });
    const sam = await userId(sys(), 'sam');
    expect(sys().deps.agents.board.isAvailable(sam, support)).toBe(false);
  });

  it('bad input is a 400 naming the field and changes nothing', async () => {
    const c = sys().client();
    await c.login('bob');
    const before = await c.get('/api/agents/me/state');
    const support = await queueId(sys(), 'support');
    const cases: [unknown, string][] = [
      [{ status: 'paused', reason: 'Nap' }, 'reason'],
      [{ status: 'paused' }, 'reason'],
      [{ status: 'paused', reason: 'Break', queueIds: [support] }, 'queueIds'],
      [{ status: 'paused', reason: 'Break', queueIds: [] }, 'queueIds'],
      [{ status: 'on_call' }, 'status'],
      [{ status: 'idle', extra: 1 }, ''],
    ];
    for (const [body, field] of cases) {
      const res = await c.put('/api/agents/me/state', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      if (field)
        expect(res.body.error.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    expect((await c.put('/api/agents/me/state', 'not json')).status).toBe(400);
    const after = await c.get('/api/agents/me/state');
    expect(after.body).toEqual(before.body);
  });

  it('a supervisor reads and sets an agent’s state; an unknown agent is 404', async () => {
    const c = sys().client();
    await c.login('sam');
    const dave = await userId(sys(), 'dave');
    const res = await c.put(`/api/agents/${dave}/state`, { status: 'paused', reason: 'Training' });
    expect(res.status).toBe(200);
    expect((await c.get(`/api/agents/${dave}/state`)).body.status).toBe('paused');
    const audit = await sys()
      .db.selectFrom('audit_log')
      .selectAll()
      .where('entity_id', '=', String(dave))
      .where('action', '=', 'agent_state.pause')
      .executeTakeFirstOrThrow();
    expect(audit.actor_id).toBe(await userId(sys(), 'sam'));
    expect((await c.get('/api/agents/999999/state')).status).toBe(404);
    const admin = await userId(sys(), 'admin');
    expect((await c.put(`/api/agents/${admin}/state`, { status: 'idle' })).status).toBe(404);
    await c.put(`/api/agents/${dave}/state`, { status: 'idle' });

    // Signing the agent out of every queue: Offline, audited; an agent may not do it to another.
    const out = await c.post(`/api/agents/${dave}/sign-out`, {});
    expect(out.status).toBe(200);
    expect(out.body.status).toBe('logged_out');
    expect(sys().deps.agents.board.get(dave)?.status).toBe('logged_out');
    const logout = await sys()
      .db.selectFrom('audit_log')
      .selectAll()
      .where('entity_id', '=', String(dave))
      .where('action', '=', 'agent_state.logout')
      .executeTakeFirstOrThrow();
    expect(logout.actor_id).toBe(await userId(sys(), 'sam'));
    expect((await c.post('/api/agents/999999/sign-out', {})).status).toBe(404);
    const alice = sys().client();
    await alice.login('alice');
    expect((await alice.post(`/api/agents/${dave}/sign-out`, {})).status).toBe(403);
    await c.put(`/api/agents/${dave}/state`, { status: 'idle' });
  });

  it('presence follows the parties of calls: on call, wrap-up after a queue call, free; persisted for the supervisor list', async () => {
    const c = sys().client();
    await c.login('carol');
    await c.put('/api/agents/me/state', { status: 'idle' });
    const carol = await userId(sys(), 'carol');
    const agents = sys().deps.agents;
    const support = await queueId(sys(), 'support');
    agents.presence.apply({ change: 'joined', callId: 'x1', userId: carol, queueId: support });
    expect((await c.get('/api/agents/me/state')).body.status).toBe('on_call');
    await agents.flush();
    const row = await sys()
      .db.selectFrom('agent_states')
      .select('status')
      .where('user_id', '=', carol)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('on_call');
    // Joining a second call and leaving it keeps her on the first one.
    agents.presence.apply({ change: 'joined', callId: 'x2', userId: carol, queueId: null });
    agents.presence.apply({ change: 'left', callId: 'x2', userId: carol, queueId: null, reason: 'left' });
    expect((await c.get('/api/agents/me/state')).body.status).toBe('on_call');
    expect(agents.board.get(carol)?.onCall?.callId).toBe('x1');
    agents.presence.apply({ change: 'left', callId: 'x1', userId: carol, queueId: support, reason: 'ended' });
    expect((await c.get('/api/agents/me/state')).body.status).toBe('wrapup');
    agents.board.finishWrapUp(carol);
    expect((await c.get('/api/agents/me/state')).body.status).toBe('idle');

    // Dropped from a call she joined (a consult cancelled): free at once, no wrap-up.
    agents.presence.apply({ change: 'joined', callId: 'x3', userId: carol, queueId: support });
    agents.presence.apply({ change: 'left', callId: 'x3', userId: carol, queueId: support, reason: 'left' });
    expect((await c.get('/api/agents/me/state')).body.status).toBe('idle');
  });

  it('the sign-in state: Offline by default until Go idle; the administrator may choose Idle or a pause', async () => {
    const agents = sys().deps.agents;
    const bob = await userId(sys(), 'bob');
    const admin = sys().client();
    await admin.login('admin');
    const settings = await admin.get('/api/admin/settings');
    // The test harness chose Idle for its call tests; without a stored choice it is Offline.
    expect(await sys().deps.settings.agentSignIn()).toEqual({ status: 'idle', reason: null });
    expect(settings.body.agentSignIn).toEqual({ status: 'idle', reason: null });
    await sys().db.deleteFrom('settings').where('key', '=', 'agentSignIn').execute();
    expect(await sys().deps.settings.agentSignIn()).toEqual({ status: 'logged_out', reason: null });

    const put = (agentSignIn: unknown) => admin.put('/api/admin/settings', { agentSignIn });
    expect((await put({ status: 'logged_out', reason: null })).status).toBe(200);
    agents.logout(bob);
    agents.onRegistrationChange('1002', true);
    expect(agents.board.get(bob)?.status).toBe('logged_out');
    const c = sys().client();
    await c.login('bob');
    expect((await c.get('/api/agents/me/state')).body.status).toBe('logged_out');
    expect((await c.put('/api/agents/me/state', { status: 'idle' })).body.status).toBe('idle');
    // Registering again (a refresh, a second phone) keeps the state he chose.
    agents.onRegistrationChange('1002', true);
    expect(agents.board.get(bob)?.status).toBe('idle');

    // Bad choices are refused, naming the field, and change nothing.
    const noReason = await put({ status: 'paused', reason: null });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toMatch(/^agentSignIn\.reason: /);
    const unknown = await put({ status: 'paused', reason: 'Nap' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/^agentSignIn\.reason: Unknown pause reason/);
    expect((await put({ status: 'away', reason: null })).status).toBe(400);
    expect((await admin.get('/api/admin/settings')).body.agentSignIn).toEqual({
      status: 'logged_out',
      reason: null,
    });
    const agentTries = await c.put('/api/admin/settings', { agentSignIn: { status: 'idle', reason: null } });
    expect(agentTries.status).toBe(403);

    const paused = await put({ status: 'paused', reason: 'break' });
    expect(paused.status).toBe(200);
    expect(paused.body.agentSignIn).toEqual({ status: 'paused', reason: 'Break' });
    agents.logout(bob);
    agents.onRegistrationChange('1002', true);
    expect((await c.get('/api/agents/me/state')).body).toMatchObject({ status: 'paused', reason: 'Break' });
    await agents.flush();
    const row = await sys()
      .db.selectFrom('agent_states')
      .select(['status', 'reason'])
      .where('user_id', '=', bob)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'paused', reason: 'Break' });

    expect((await put({ status: 'idle', reason: null })).status).toBe(200);
    agents.logout(bob);
    agents.onRegistrationChange('1002', true);
    expect(agents.board.get(bob)?.status).toBe('paused');
    await c.put('/api/agents/me/state', { status: 'idle' });
    agents.logout(bob);
    agents.onRegistrationChange('1002', true);
    expect(agents.board.get(bob)?.status).toBe('idle');
  });

  it('closing the last desk tab signs the agent out after the grace; a reload within it does not', async () => {
    const own = await TestSystem.start(sys().kind, { DESK_CLOSED_GRACE_SECONDS: '0.3' });
    try {
      const c = own.client();
      const login = await c.login('bob');
      const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
      const bob = login.body.user.id as number;
      const bus = own.deps.events;
      expect((await c.put('/api/agents/me/state', { status: 'idle' })).body.status).toBe('idle');
      const openTab = async () => {
        const tab = new AbortController();
        const before = bus.subscriberCount;
        const res = await fetch(`${own.url}/api/events`, { headers: { cookie }, signal: tab.signal });
        expect(res.status).toBe(200);
        await expect.poll(() => bus.subscriberCount).toBe(before + 1);
        return async () => {
          const open = bus.subscriberCount;
          tab.abort();
          await expect.poll(() => bus.subscriberCount).toBe(open - 1);
        };
      };
      const closeFirst = await openTab();
      const closeSecond = await openTab();
      await closeFirst();
      // A bounded wait: nothing is to happen, past the grace, while another tab is open.
      await new Promise((r) => setTimeout(r, 500));
      expect(own.deps.agents.board.get(bob)?.status).toBe('idle');
      await closeSecond();
      const closeReloaded = await openTab();
      await new Promise((r) => setTimeout(r, 500));
      expect(own.deps.agents.board.get(bob)?.status).toBe('idle');
      await closeReloaded();
      await expect.poll(() => own.deps.agents.board.get(bob)?.status).toBe('logged_out');
      await own.deps.agents.flush();
      const row = await own.db
        .selectFrom('agent_states')
        .select('status')
        .where('user_id', '=', bob)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('logged_out');
    } finally {
      await own.stop();
    }
  });

  it('registering the extension logs the agent in; a restart restores every agent exactly and frees busy ones', async () => {
    const agents = sys().deps.agents;
    const bob = await userId(sys(), 'bob');
    agents.logout(bob);
    agents.onRegistrationChange('1002', true);
    expect(agents.board.get(bob)?.status).toBe('idle');
    const c = sys().client();
    await c.login('bob');
    const sales = await queueId(sys(), 'sales');
    await c.put('/api/agents/me/state', { status: 'paused', reason: 'Break', queueIds: [sales] });
    const carol = await userId(sys(), 'carol');
    agents.presence.apply({ change: 'joined', callId: 'y1', userId: carol, queueId: null });
    await agents.flush();

    // A second service on the same database is what a restarted server builds.
    const restarted = new AgentStateService({
      db: sys().db,
      events: sys().deps.events,
      logger: createLogger('silent'),
      location: { isRegistered: () => false },
    });
    await restarted.start();
    for (const u of [bob, await userId(sys(), 'alice'), await userId(sys(), 'sam')]) {
      const before = await agents.state(u);
      const after = await restarted.state(u);
      expect({ ...after, since: 0 }, String(u)).toEqual({ ...before, since: 0 });
    }
    expect((await restarted.state(carol)).status).toBe('idle');
    const row = await sys()
      .db.selectFrom('agent_states')
      .select('status')
      .where('user_id', '=', carol)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('idle');
    await restarted.stop();
    agents.presence.apply({ change: 'left', callId: 'y1', userId: carol, queueId: null, reason: 'ended' });
    await c.put('/api/agents/me/state', { status: 'idle' });
  });

  it('signing out of the last session logs the agent out of the queues', async () => {
    const bob = await userId(sys(), 'bob');
    // earlier tests' sessions of bob would keep him signed in
    await sys().db.deleteFrom('sessions').where('user_id', '=', bob).execute();
    const first = sys().client();
    const second = sys().client();
    await first.login('bob');
    await second.login('bob');
    expect((await first.put('/api/agents/me/state', { status: 'idle' })).body.status).toBe('idle');
    await first.post('/api/auth/logout');
    // another session is still open: bob is still working
    expect((await second.get('/api/agents/me/state')).body.status).toBe('idle');
    await second.post('/api/auth/logout');
    const supervisor = sys().client();
    await supervisor.login('sam');
    expect((await supervisor.get(`/api/agents/${bob}/state`)).body.status).toBe('logged_out');
  });
});
