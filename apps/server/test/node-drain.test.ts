import type { LiveEvent } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { customerCallsDave, customerPhone, deskPhone, hears, startSwitch } from './call-control-harness';
import { deferrer } from './defer';
import { allCallsEnded } from './switch-events';
import { loggedInAs } from './test-system';

/**
 * Draining a node (docs/operations.md): an administrator takes it out of service while dave talks
 * to a customer; new calls and OPTIONS probes get 503, `/readyz` says draining, dave's call goes on
 * to its end, and resuming takes calls again.
 */
describe('node drain', () => {
  it('refuses new calls and probes with 503 while the call up goes on; /readyz follows; resume takes calls again', {
    timeout: 60_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer);
    const dave = await deskPhone(defer, sys, 'dave');
    const { customer, callId } = await customerCallsDave(defer, sys, dave);
    const admin = await loggedInAs(sys, 'admin');
    const agent = await loggedInAs(sys, 'alice');
    const readyz = async () => {
      const res = await fetch(`${sys.url}/readyz`);
      return { status: res.status, body: await res.json() };
    };
    expect(await readyz()).toEqual({ status: 200, body: { status: 'ready' } });
    const options = async () => {
      const req = customer.stack.createRequest('OPTIONS', `sip:127.0.0.1:${sys.sipPort}`, {
        from: 'sip:probe@127.0.0.1',
        to: `sip:127.0.0.1:${sys.sipPort}`,
      });
      return (await customer.stack.send(req)).status;
    };
    expect(await options()).toBe(200);
    // What the node's desks hear of the drain (an agent's live stream).
    const heard: LiveEvent[] = [];
    defer(sys.deps.events.subscribe({ userId: 1, role: 'agent' }, (p) => heard.push(p.event)));

    expect((await agent.post('/api/admin/drain', {})).status).toBe(403);
    const drained = await admin.post('/api/admin/drain', {});
    expect(drained.status).toBe(200);
    expect(drained.body).toMatchObject({ draining: true, liveCalls: 1, since: expect.any(Number) });
    // Draining twice is the same drain.
    expect((await admin.post('/api/admin/drain', {})).body.since).toBe(drained.body.since);

    expect(await readyz()).toEqual({
      status: 503,
      body: { status: 'draining', liveCalls: 1, since: drained.body.since },
    });
    // Once, though drained twice: the desks move to another node.
    expect(heard.filter((e) => e.type === 'node_drain')).toEqual([
      { type: 'node_drain', draining: true, since: drained.body.since, at: expect.any(Number) },
    ]);
    expect((await fetch(`${sys.url}/healthz`)).status).toBe(200);
    expect(await options()).toBe(503);
    const second = await customerPhone(defer);
    expect((await second.call(sys, '5550104', '+12025550142')).status).toBe(503);
    expect(dave.invites).toHaveLength(0);

    // The call already up is untouched: both sides still hear each other.
    await hears(customer, [dave]);
    await hears(dave, [customer]);
    expect(sys.deps.calls.calls.get(callId)?.state).toBe('connected');

    // It ends by itself; the node is then idle.
    await customer.dialog!.bye();
    await allCallsEnded(sys, 8000);
    expect(await sys.deps.drain.whenIdle(5000, 20)).toBe(true);
    expect((await admin.get('/api/admin/drain')).body).toMatchObject({ draining: true, liveCalls: 0 });

    const resumed = await admin.delete('/api/admin/drain');
    expect(resumed.body).toEqual({ draining: false, since: null, liveCalls: 0 });
    expect(heard.filter((e) => e.type === 'node_drain').at(-1)).toEqual({
      type: 'node_drain',
      draining: false,
      since: null,
      at: expect.any(Number),
    });
    expect(await readyz()).toEqual({ status: 200, body: { status: 'ready' } });
    expect(await options()).toBe(200);
    const again = customerCallsDave(defer, sys, dave);
    await expect(again).resolves.toMatchObject({ callId: expect.any(String) });

    const audit = await sys.db
      .selectFrom('audit_log')
      .select(['action'])
      .where('action', 'like', 'node.%')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['node.drain', 'node.resume']);
  });

  it('the drain gives up waiting after its time when a call stays up', {
    timeout: 30_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer);
    const dave = await deskPhone(defer, sys, 'dave');
    await customerCallsDave(defer, sys, dave);
    sys.deps.drain.start('test');
    expect(await sys.deps.drain.whenIdle(300, 20)).toBe(false);
    expect(await sys.deps.drain.whenIdle(0)).toBe(false);
  });
});
