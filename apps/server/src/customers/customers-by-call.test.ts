import { expect, it } from 'vitest';
import {
  customerCount,
  describeEachDatabase,
  loggedInAs,
  type TestSystem,
  userId,
} from '../../test/test-system';

/*
 * The screen pop's customer window: it knows the call only by the switch's call id (the
 * `callId` of live `call` events), and an agent may see the caller's number masked, so both the
 * lookup and "save as new customer" work by reference to the call.
 */

/** One of alice's calls with a caller number, unlinked from any customer. */
async function aliceCall(sys: TestSystem) {
  const aliceId = await userId(sys, 'alice');
  const call = await sys.db
    .selectFrom('calls')
    .select(['id', 'call_uuid', 'customer_number'])
    .where('agent_user_id', '=', aliceId)
    .where('customer_number', 'is not', null)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  await sys.db.updateTable('calls').set({ customer_id: null }).where('id', '=', call.id).execute();
  return call;
}

const masking = (mode: 'off' | 'partial') => ({ mode, keepFirst: 2, keepLast: 2, exemptSupervisors: true });

describeEachDatabase('customers by call (screen pop)', (sys) => {
  it('looks the caller up by the switch call id for the agent on the call, not for other agents', async () => {
    const call = await aliceCall(sys());
    const alice = await loggedInAs(sys(), 'alice');
    const res = await alice.get(`/api/customers/lookup?callId=${call.call_uuid}`);
    expect(res.status).toBe(200);
    expect(res.body.number).toBe(call.customer_number);
    expect(res.body.call).toMatchObject({ id: call.id, callId: call.call_uuid });
    const bob = await loggedInAs(sys(), 'bob');
    const other = await bob.get(`/api/customers/lookup?callId=${call.call_uuid}`);
    expect(other.status).toBe(404);
    expect(JSON.stringify(other.body)).not.toContain(call.customer_number!.slice(-4));
    const bad = await alice.get('/api/customers/lookup?callId=not-a-call');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^callId: /);
  });

  it('saves a new customer with the masked caller number by reference to the call, and links the call', async () => {
    const call = await aliceCall(sys());
    const alice = await loggedInAs(sys(), 'alice');
    await sys().system.deps.settings.set('numberMasking', masking('partial'));
    try {
      const seen = await alice.get(`/api/customers/lookup?callId=${call.call_uuid}`);
      expect(seen.body.number).not.toBe(call.customer_number);
      expect(seen.body.number).toContain('*');

      const created = await alice.post('/api/customers', {
        name: 'Caller From The Queue',
        phones: [{ callId: call.call_uuid }],
      });
      expect(created.status).toBe(201);
      expect(created.body.customer.phones[0].number).toBe(seen.body.number);
      const stored = await sys()
        .db.selectFrom('customer_phones')
        .select('number')
        .where('customer_id', '=', created.body.customer.id)
        .execute();
      expect(stored.map((p) => p.number)).toEqual([call.customer_number]);
      const linked = await sys()
        .db.selectFrom('calls')
        .select('customer_id')
        .where('id', '=', call.id)
        .executeTakeFirstOrThrow();
      expect(linked.customer_id).toBe(created.body.customer.id);

      // The window's next lookup finds the saved customer.
      const again = await alice.get(`/api/customers/lookup?callId=${call.call_uuid}`);
      expect(again.body.customers.map((c: { id: number }) => c.id)).toContain(created.body.customer.id);
    } finally {
      await sys().system.deps.settings.set('numberMasking', masking('off'));
    }
  });

  it('refuses a call the agent may not see, or a bad reference, and saves nothing', async () => {
    const call = await aliceCall(sys());
    const bob = await loggedInAs(sys(), 'bob');
    const before = await customerCount(sys());
    const notHis = await bob.post('/api/customers', {
      name: 'Not Bob’s',
      phones: [{ callId: call.call_uuid }],
    });
    expect(notHis.status).toBe(400);
    expect(notHis.body.error.message).toBe('phones.0: No such call');
    const bad = await bob.post('/api/customers', { name: 'Bad', phones: ['+12025550100', { callId: 'x' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^phones\.1\.callId: /);
    expect(await customerCount(sys())).toBe(before);
  });
});
