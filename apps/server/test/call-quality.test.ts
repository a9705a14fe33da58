import { expect, it } from 'vitest';
import { describeEachDatabase } from './test-system';

describeEachDatabase('call quality API', (sys) => {
  const measured = {
    packetsReceived: 900,
    packetsSent: 1000,
    packetsLost: 100,
    lossRate: 0.1,
    jitterMs: 12.5,
    rttMs: 40,
    remoteLossRate: 0.02,
    remoteJitterMs: 3,
  };

  /** One of `username`'s answered calls, with `quality` stored as the switch stores it. */
  async function callOf(username: string, quality: unknown) {
    const db = sys().db;
    const user = await db
      .selectFrom('users')
      .select('id')
      .where('username', '=', username)
      .executeTakeFirstOrThrow();
    const call = await db
      .selectFrom('calls')
      .select('id')
      .where('agent_user_id', '=', user.id)
      .where('disposition', '=', 'answered')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    await db
      .updateTable('calls')
      .set({ quality: quality === null ? null : JSON.stringify(quality) })
      .where('id', '=', call.id)
      .execute();
    return call.id;
  }

  it("gives an agent their call's recorded quality per leg, skipping what is not a measurement", async () => {
    const id = await callOf('alice', { customer: measured, callee: { ...measured, lossRate: 0 }, note: 'x' });
    const c = sys().client();
    await c.login('alice');
    const res = await c.get(`/api/cdr/${id}/quality`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      cdrId: id,
      legs: [
        { leg: 'customer', quality: measured },
        { leg: 'callee', quality: { ...measured, lossRate: 0 } },
      ],
    });
  });

  it('answers no legs for a call without measurements', async () => {
    const id = await callOf('alice', null);
    const c = sys().client();
    await c.login('alice');
    const res = await c.get(`/api/cdr/${id}/quality`);
    expect(res.status).toBe(200);
    expect(res.body.legs).toEqual([]);
  });

  it("hides another agent's call from an agent, not from a supervisor", async () => {
    const id = await callOf('bob', { customer: measured });
    const alice = sys().client();
    await alice.login('alice');
    expect((await alice.get(`/api/cdr/${id}/quality`)).status).toBe(404);
    const sam = sys().client();
    await sam.login('sam');
    const res = await sam.get(`/api/cdr/${id}/quality`);
    expect(res.status).toBe(200);
    expect(res.body.legs).toHaveLength(1);
    expect((await sam.get('/api/cdr/not-a-number/quality')).status).toBe(400);
  });

  it('says there is no call in progress for an agent who is not on one', async () => {
    const c = sys().client();
    await c.login('carol');
    const res = await c.get('/api/calls/current/quality');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ call: null });
    expect((await sys().client().get('/api/calls/current/quality')).status).toBe(401);
  });

  it('refuses a network check without a proper offer, and knows no check it did not start', async () => {
    const c = sys().client();
    await c.login('carol');
    const bad = await c.post('/api/softphone/network-check', { offer: 'x' });
    expect(bad.status).toBe(400);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await c.get(`/api/softphone/network-check/${unknown}`)).status).toBe(404);
    expect((await c.delete(`/api/softphone/network-check/${unknown}`)).status).toBe(404);
    expect(
      (await sys().client().post('/api/softphone/network-check', { offer: 'v=0 an offer' })).status,
    ).toBe(401);
  });
});
