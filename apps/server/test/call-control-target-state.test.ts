import { describe, expect, it } from 'vitest';
import { daveInCallSamFree, hears, samAnswersConsult } from './call-control-harness';
import { deferrer } from './defer';

/**
 * The consult and transfer lists show a paused (or wrapping-up, or busy) person as unavailable; the
 * server refuses them the same way, changing nothing, instead of ringing them anyway.
 */
describe('call control: a paused target is refused', () => {
  it('consult and transfer to paused sam answer 409 and change nothing; once sam is idle the consult goes', {
    timeout: 40_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const call = await daveInCallSamFree(defer);
    const { sys, samId, callId, api, customer, dave } = call;
    const samApi = sys.client();
    await samApi.login('sam');
    const paused = await samApi.put('/api/agents/me/state', { status: 'paused', reason: 'Break' });
    expect(paused.status, JSON.stringify(paused.body)).toBe(200);

    const targets = await api.get(`/api/calls/${callId}/transfer-targets`);
    expect(targets.status).toBe(200);
    const listed = targets.body.supervisors.find((s: { userId: number }) => s.userId === samId);
    expect(listed).toMatchObject({ available: false, unavailableReason: 'paused' });

    const consult = await api.post(`/api/calls/${callId}/consult`, { to: { kind: 'user', userId: samId } });
    expect(consult.status).toBe(409);
    expect(consult.body.error).toMatchObject({ code: 'target_unavailable' });
    expect(consult.body.error.message).toMatch(/paused/);
    const transfer = await api.post(`/api/calls/${callId}/transfer`, { to: { kind: 'user', userId: samId } });
    expect(transfer.status).toBe(409);
    // Nothing changed: dave and the customer still talk, no consult is under way.
    const current = await api.get('/api/calls/current');
    expect(current.body.calls).toEqual([expect.objectContaining({ callId, held: false, consult: null })]);
    await hears(customer, [dave]);

    expect((await samApi.put('/api/agents/me/state', { status: 'idle' })).status).toBe(200);
    await samAnswersConsult(call);
  });

  it('consult and transfer to sam, signed out of the desk with the phone still registered, answer 409 and change nothing', {
    timeout: 40_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const call = await daveInCallSamFree(defer);
    const { sys, samId, callId, api, customer, dave } = call;
    await sys.db.deleteFrom('sessions').where('user_id', '=', samId).execute();
    const samApi = sys.client();
    await samApi.login('sam');
    expect((await samApi.put('/api/agents/me/state', { status: 'idle' })).status).toBe(200);
    expect((await samApi.post('/api/auth/logout')).status).toBe(204);
    expect(sys.deps.agents.board.get(samId)?.status).toBe('logged_out');

    const targets = await api.get(`/api/calls/${callId}/transfer-targets`);
    const listed = targets.body.supervisors.find((s: { userId: number }) => s.userId === samId);
    expect(listed).toMatchObject({ available: false, unavailableReason: 'logged_out' });
    for (const action of ['consult', 'transfer']) {
      const res = await api.post(`/api/calls/${callId}/${action}`, { to: { kind: 'user', userId: samId } });
      expect(res.status, action).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'target_unavailable' });
      expect(res.body.error.message).toMatch(/signed out/);
    }
    const current = await api.get('/api/calls/current');
    expect(current.body.calls).toEqual([expect.objectContaining({ callId, held: false, consult: null })]);
    await hears(customer, [dave]);
  });
});
