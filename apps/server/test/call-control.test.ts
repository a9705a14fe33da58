import { describe, expect, it } from 'vitest';
import { customerCallsDave, deskPhone, hears, startSwitch } from './call-control-harness';
import { deferrer } from './defer';
import { allCallsEnded, nextEvent, recordEvents } from './switch-events';
import { userId } from './test-system';

/**
 * Agent call control through the API: hold, mute, DTMF and the viewer's current calls on a
 * real call — a customer (calling in as the carrier) to the DID of dave's desk phone — with the RTP
 * each phone hears counted. Who may act: the agent in the call and supervisors; others get 404.
 */
describe('call control: hold, mute, DTMF, current calls', () => {
  it('hold plays music to the customer and cuts the agent; mute cuts without music; DTMF reaches the customer', {
    timeout: 40_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer);
    const events = recordEvents(defer, sys);
    const dave = await deskPhone(defer, sys, 'dave');
    const { customer, callId } = await customerCallsDave(defer, sys, dave);
    // The agent-bound INVITE names the call, as the desk matches it to the events.
    expect(callId).toMatch(/^[0-9a-f-]{36}$/);
    const api = sys.client();
    await api.login('dave');

    const current = await api.get('/api/calls/current');
    expect(current.status).toBe(200);
    expect(current.body.calls).toEqual([
      expect.objectContaining({
        callId,
        state: 'connected',
        direction: 'inbound',
        otherParty: '+12025550199',
        held: false,
        muted: false,
        consult: null,
      }),
    ]);
    await hears(dave, [customer]);
    await hears(customer, [dave]);

    // Hold: the customer hears music though dave says nothing; dave's voice no longer reaches them.
    expect((await api.post(`/api/calls/${callId}/hold`, { held: true })).status).toBe(200);
    const beforeMusic = customer.heard;
    await customer.until(() => customer.heard - beforeMusic > 25, 5000, 'hold music');
    expect((await api.get('/api/calls/current')).body.calls[0].held).toBe(true);
    expect(events.some((e) => e.type === 'call' && e.callId === callId && e.state === 'held')).toBe(true);
    expect((await api.post(`/api/calls/${callId}/hold`, { held: false })).status).toBe(200);
    expect(events.some((e) => e.type === 'call' && e.callId === callId && e.state === 'resumed')).toBe(true);
    await hears(dave, [customer]);

    // Mute: what dave says stops reaching the customer (and no music), the customer still reaches dave.
    expect((await api.post(`/api/calls/${callId}/mute`, { muted: true })).status).toBe(200);
    expect((await api.get('/api/calls/current')).body.calls[0].muted).toBe(true);
    const heardBefore = customer.heard;
    await dave.talk(800);
    expect(customer.heard - heardBefore).toBeLessThan(5);
    await hears(customer, [dave]);
    expect((await api.post(`/api/calls/${callId}/mute`, { muted: false })).status).toBe(200);
    await hears(dave, [customer]);

    // DTMF: RFC 4733 events on the customer's leg.
    expect((await api.post(`/api/calls/${callId}/dtmf`, { digits: '12#' })).status).toBe(200);
    await customer.until(() => customer.digits.join('') === '12#', 5000, 'digits 12#');

    await dave.dialog!.bye();
    await allCallsEnded(sys, 8000);
    expect((await api.get('/api/calls/current')).body.calls).toEqual([]);
  });

  it('another agent gets 404, a supervisor may act, a bad body is a 400 naming the field, 409 when not possible', {
    timeout: 30_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer);
    const dave = await deskPhone(defer, sys, 'dave');
    const { callId } = await customerCallsDave(defer, sys, dave);
    const alice = sys.client();
    await alice.login('alice');
    for (const [path, body] of [
      ['hold', { held: true }],
      ['mute', { muted: true }],
      ['dtmf', { digits: '1' }],
      ['transfer', { to: { kind: 'number', number: '+12025550123' } }],
      ['consult', { to: { kind: 'number', number: '+12025550123' } }],
      ['consult/complete', {}],
    ] as const) {
      const res = await alice.post(`/api/calls/${callId}/${path}`, body);
      expect(res.status, path).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    expect((await alice.get(`/api/calls/${callId}/transfer-targets`)).status).toBe(404);
    expect((await alice.get('/api/calls/current')).body.calls).toEqual([]);

    const dv = sys.client();
    await dv.login('dave');
    const bad = await dv.post(`/api/calls/${callId}/dtmf`, { digits: '12x' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^digits:/);
    const badHold = await dv.post(`/api/calls/${callId}/hold`, { held: 'yes' });
    expect(badHold.status).toBe(400);
    expect(badHold.body.error.message).toMatch(/^held:/);
    const badTarget = await dv.post(`/api/calls/${callId}/transfer`, { to: { kind: 'user' } });
    expect(badTarget.status).toBe(400);
    expect(badTarget.body.error.message).toMatch(/^to\.userId:/);
    // No consult to complete: 409 with the code.
    const noConsult = await dv.post(`/api/calls/${callId}/consult/complete`, {});
    expect(noConsult.status).toBe(409);
    expect(noConsult.body.error.code).toBe('no_consult');
    // A user with no phone registered cannot be a target: 409, and the call is untouched.
    const bob = await userId(sys, 'bob');
    const unavailable = await dv.post(`/api/calls/${callId}/transfer`, { to: { kind: 'user', userId: bob } });
    expect(unavailable.status).toBe(409);
    expect(unavailable.body.error.code).toBe('target_unavailable');
    expect(sys.deps.calls.calls.get(callId)?.state).toBe('connected');

    // A supervisor may act on an agent's call.
    const sam = sys.client();
    await sam.login('sam');
    const held = nextEvent(sys, 'call', (e) => e.callId === callId && e.state === 'held', 8000);
    expect((await sam.post(`/api/calls/${callId}/hold`, { held: true })).status).toBe(200);
    await held;
    await dave.dialog!.bye();
    await allCallsEnded(sys, 8000);
    // The call is over: 404.
    expect((await dv.post(`/api/calls/${callId}/hold`, { held: false })).status).toBe(404);
  });
});
