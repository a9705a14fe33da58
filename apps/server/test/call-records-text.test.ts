import { expect, it } from 'vitest';
import { CallRecords } from '../src/switch/call-records';
import { describeEachDatabase } from './test-system';

describeEachDatabase('call records of a caller who sends control characters', (sys) => {
  it('records the call with the numbers cleaned (a NUL from %00 never refuses the CDR)', async () => {
    const records = new CallRecords(sys().db, 'node-nul');
    const call = await records.open({
      type: 'inbound',
      customerNumber: '+1202\u00005550100',
      callerNumber: '+1202\u00005550100\u001b',
      calledNumber: '5550100',
    });
    await records.update(call.id, { caller_number: 'evil\u0000name' });
    const leg = await records.openLeg(call.id, {
      legUuid: `${call.uuid}-l1`,
      role: 'customer',
      peer: '\u0000+12025550100',
    });
    const row = await sys()
      .db.selectFrom('calls')
      .select(['customer_number', 'customer_digits', 'caller_number', 'status'])
      .where('id', '=', call.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      customer_number: '+12025550100',
      customer_digits: '12025550100',
      caller_number: 'evilname',
      status: 'open',
    });
    const legRow = await sys()
      .db.selectFrom('call_legs')
      .select('peer')
      .where('id', '=', leg)
      .executeTakeFirstOrThrow();
    expect(legRow.peer).toBe('+12025550100');
    await records.close(call.id, { disposition: 'unanswered', hangupCause: 'test', hangupSide: 'customer' });
  });
});
