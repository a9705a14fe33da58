import { expect, it } from 'vitest';
import { CallRecords } from '../src/switch/call-records';
import { describeEachDatabase, loggedInAs, userId } from './test-system';

/*
 * The desk's Rate pies come from the CDR totals: answered and not answered. A call still in progress
 * has no outcome yet — ringing, talking, or answered and passed on to someone else — so it is in
 * neither, instead of counting as not answered.
 */
describeEachDatabase('CDR totals: calls in progress are neither answered nor not answered', (system) => {
  it('counts ended calls by outcome and leaves calls in progress out of both', async () => {
    const sys = system();
    const records = new CallRecords(sys.db, 'totals-test');
    const alice = await userId(sys, 'alice');
    const from = Date.now();
    const open = (n: string) =>
      records.open({ type: 'inbound', agentUserId: alice, customerNumber: `+1202555${n}` });

    const answered = await open('0301');
    await records.answered(answered.id);
    await records.close(answered.id, {
      disposition: 'answered',
      hangupCause: 'normal',
      hangupSide: 'customer',
    });
    const missed = await open('0302');
    await records.close(missed.id, {
      disposition: 'unanswered',
      hangupCause: 'cancel',
      hangupSide: 'customer',
    });
    const busy = await open('0303');
    await records.close(busy.id, { disposition: 'busy', hangupCause: 'busy', hangupSide: 'system' });
    // In progress: one ringing, one answered and transferred away, still running.
    await open('0304');
    const passedOn = await open('0305');
    await records.answered(passedOn.id);
    await records.addTransfer(passedOn.id, { at: Date.now(), kind: 'blind' });

    const api = await loggedInAs(sys, 'alice');
    const res = await api.get(`/api/cdr?from=${from}&agentId=${alice}&pageSize=1`);
    expect(res.status).toBe(200);
    expect(res.body.totals).toMatchObject({ count: 5, answered: 1, notAnswered: 2 });
  });
});
