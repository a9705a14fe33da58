import { expect, it } from 'vitest';
import { CallRecords } from '../src/switch/call-records';
import { describeEachDatabase } from './test-system';

describeEachDatabase('call records: one writer', (system) => {
  it('a transfer step and a queue-overflow step written at the same instant both land, every time', async () => {
    const sys = system();
    const records = new CallRecords(sys.db, 'node-writer-test');
    const call = await records.open({ type: 'inbound', customerNumber: '+12025550150' });
    const rounds = 40;
    // Each round: call control's transfer step and the queue's overflow step, sent together on
    // separate connections (PostgreSQL's pool runs them in parallel).
    await Promise.all(
      Array.from({ length: rounds }, (_, i) => [
        records.addTransfer(call.id, { at: i, kind: 'blind', by: 1, to: `100${i % 10}`, outcome: 'queued' }),
        records.addTransfer(call.id, { at: i, kind: 'overflow', fromQueueId: 1, toQueueId: 2 }),
      ]).flat(),
    );
    const row = await sys.db
      .selectFrom('calls')
      .select('transfer_chain')
      .where('id', '=', call.id)
      .executeTakeFirstOrThrow();
    const chain = JSON.parse(row.transfer_chain!) as Array<{ at: number; kind: string }>;
    expect(chain).toHaveLength(rounds * 2);
    for (let i = 0; i < rounds; i++) {
      expect(
        chain
          .filter((s) => s.at === i)
          .map((s) => s.kind)
          .sort(),
      ).toEqual(['blind', 'overflow']);
    }
  });

  it('closes the legs of a call left open by a crash as interrupted, once', async () => {
    const sys = system();
    const records = new CallRecords(sys.db, 'node-crashed');
    const call = await records.open({ type: 'auto', service: 'test' });
    const answered = await records.openLeg(call.id, {
      legUuid: `${call.uuid}-l1`,
      role: 'customer',
      peer: 'x',
    });
    await records.updateLeg(answered, { answered_at: Date.now() });
    await records.answered(call.id);
    const ringing = await records.openLeg(call.id, {
      legUuid: `${call.uuid}-l2`,
      role: 'destination',
      peer: 'y',
    });
    expect(await new CallRecords(sys.db, 'node-crashed').closeInterrupted()).toBe(1);
    expect(await new CallRecords(sys.db, 'node-crashed').closeInterrupted()).toBe(0);
    const legs = await sys.db
      .selectFrom('call_legs')
      .select(['id', 'disposition', 'hangup_cause', 'ended_at'])
      .where('call_id', '=', call.id)
      .orderBy('id')
      .execute();
    expect(legs.map((l) => [l.id, l.disposition, l.hangup_cause])).toEqual([
      [answered, 'answered', 'interrupted'],
      [ringing, 'unanswered', 'interrupted'],
    ]);
    expect(legs.every((l) => l.ended_at !== null)).toBe(true);
    const cdr = await sys.db
      .selectFrom('calls')
      .selectAll()
      .where('id', '=', call.id)
      .executeTakeFirstOrThrow();
    expect(cdr).toMatchObject({
      status: 'closed',
      disposition: 'answered',
      hangup_cause: 'interrupted',
      service: 'test',
    });
  });
});
