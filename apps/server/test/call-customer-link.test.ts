import { expect, it } from 'vitest';
import { CallRecords } from '../src/switch/call-records';
import { describeEachDatabase, loggedInAs, type TestSystem, userId } from './test-system';

/*
 * Every call is linked to the CRM customer whose number it is, when the call starts, so the CDR,
 * Recent calls, Recordings and "Last contact" name them. An agent only ever gets their own customer
 * on their calls; a customer saved during the call keeps the call.
 */

// Each test its own number: the tests of a suite share one database.
const NUMBER = '+12025550177';
const OTHER = '+12025550178';
const THIRD = '+12025550179';

async function customerOf(sys: TestSystem, owner: string, name: string, number = NUMBER) {
  const c = await loggedInAs(sys, owner);
  const res = await c.post('/api/customers', { name, phones: [number] });
  expect(res.status).toBe(201);
  return res.body.customer.id as number;
}

async function linkOf(sys: TestSystem, callId: number) {
  const row = await sys.db
    .selectFrom('calls')
    .select('customer_id')
    .where('id', '=', callId)
    .executeTakeFirstOrThrow();
  return row.customer_id;
}

describeEachDatabase('calls linked to their customer by number', (system) => {
  it("links an agent's call to that agent's customer with the number, never another agent's", async () => {
    const sys = system();
    const bobs = await customerOf(sys, 'bob', 'Bob Has Them Too');
    const alices = await customerOf(sys, 'alice', 'Known Caller Alice');
    const records = new CallRecords(sys.db, 'link-test');
    const alice = await userId(sys, 'alice');
    const out = await records.open({ type: 'manual', agentUserId: alice, customerNumber: NUMBER });
    expect(await linkOf(sys, out.id)).toBe(alices);
    const carol = await userId(sys, 'carol');
    const carolsCall = await records.open({ type: 'manual', agentUserId: carol, customerNumber: NUMBER });
    expect(await linkOf(sys, carolsCall.id)).toBeNull();

    // A queue call links before any agent takes it (supervisors see it), then to the answering
    // agent's own customer.
    const inbound = await records.open({ type: 'inbound', customerNumber: NUMBER });
    expect(await linkOf(sys, inbound.id)).toBe(bobs);
    await records.update(inbound.id, { agent_user_id: alice });
    expect(await linkOf(sys, inbound.id)).toBe(alices);
    await records.update(inbound.id, { agent_user_id: carol });
    expect(await linkOf(sys, inbound.id)).toBeNull();

    // Scheduled and campaign calls (call scripts) go through the same writer.
    const auto = await records.open({ type: 'auto', service: 'dialer', customerNumber: NUMBER });
    expect(await linkOf(sys, auto.id)).toBe(bobs);
  });

  it('shows the name in the CDR, finds the call by the name and moves Last contact', async () => {
    const sys = system();
    const id = await customerOf(sys, 'alice', 'Zebulon Known-Caller', OTHER);
    const alice = await loggedInAs(sys, 'alice');
    const before = await alice.get(`/api/customers/${id}`);
    expect(before.body.customer.lastContactAt).toBeNull();
    const call = await new CallRecords(sys.db, 'link-test').open({
      type: 'inbound',
      customerNumber: OTHER,
      agentUserId: await userId(sys, 'alice'),
    });
    const cdr = await alice.get('/api/cdr?customer=zebulon');
    expect(cdr.status).toBe(200);
    expect(cdr.body.records.map((r: { id: number }) => r.id)).toEqual([call.id]);
    expect(cdr.body.records[0].customerName).toBe('Zebulon Known-Caller');
    const after = await alice.get(`/api/customers/${id}`);
    expect(after.body.customer.lastContactAt).toBe(call.startedAt);
  });

  it('gives a customer saved during the call (number typed) that call, and the link stays', async () => {
    const sys = system();
    const records = new CallRecords(sys.db, 'link-test');
    const alice = await userId(sys, 'alice');
    const call = await records.open({ type: 'inbound', customerNumber: THIRD });
    await records.update(call.id, { agent_user_id: alice });
    expect(await linkOf(sys, call.id)).toBeNull();
    const id = await customerOf(sys, 'alice', 'Saved Mid-Call', THIRD);
    expect(await linkOf(sys, call.id)).toBe(id);
    await records.answered(call.id);
    await records.close(call.id, { disposition: 'answered', hangupCause: 'normal', hangupSide: 'customer' });
    expect(await linkOf(sys, call.id)).toBe(id);
    // Bob saving the same number later does not take alice's call.
    await customerOf(sys, 'bob', 'Bob Saves It Too', THIRD);
    expect(await linkOf(sys, call.id)).toBe(id);
  });
});
