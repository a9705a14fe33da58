import { expect, it } from 'vitest';
import { promptFrames, stackCaller } from './queue-harness';
import { describeEachDatabase, type TestSystem } from './test-system';

/**
 * The ACD's own SQL on both databases: the expected wait read from recent answered CDRs,
 * and an overflow into another queue appended to the CDR's transfer chain (a real call).
 */
describeEachDatabase('queue data', (system) => {
  async function newQueue(sys: TestSystem, name: string, fields: Record<string, number | string> = {}) {
    const row = await sys.db
      .insertInto('queues')
      .values({ name, created_at: Date.now(), announce_interval_s: 0, ...fields })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  it('expected wait: position × the pace of the last answered calls of that queue within the hour', async () => {
    const sys = system();
    const queueId = await newQueue(sys, 'pace');
    const now = Date.now();
    const rows = [
      // an hour and more ago: not counted
      { started: now - 4_000_000, answered: now - 3_900_000 },
      { started: now - 900_000, answered: now - 600_000 },
      { started: now - 800_000, answered: now - 480_000 },
      { started: now - 700_000, answered: now - 360_000 },
    ];
    for (const [i, r] of rows.entries())
      await sys.db
        .insertInto('calls')
        .values({
          call_uuid: `pace-${queueId}-${i}`,
          type: 'inbound',
          queue_id: queueId,
          started_at: r.started,
          answered_at: r.answered,
          status: 'closed',
          disposition: 'answered',
        })
        .execute();
    // Answers 2 minutes apart while callers waited longer than that: 120 s per position.
    expect(await sys.deps.queues.expectedWaitS(queueId, 2)).toBe(240);
    const empty = await newQueue(sys, 'no-history');
    expect(await sys.deps.queues.expectedWaitS(empty, 1)).toBeNull();
  });

  it('overflow into another queue: transfer chain step, queue_id unchanged, waiting in the target', {
    timeout: 20_000,
  }, async ({ onTestFinished }) => {
    const sys = system();
    await sys.db
      .insertInto('trunks')
      .values({ name: 'carrier-here', uri: 'sip:127.0.0.1:9', created_at: Date.now() })
      .execute();
    await sys.deps.trunks.reload();
    const target = await newQueue(sys, 'overflow-target');
    const from = await newQueue(sys, 'overflow-from', {
      max_wait_s: 1,
      overflow_type: 'queue',
      overflow_target: String(target),
    });
    await sys.db
      .insertInto('inbound_routes')
      .values({ number: '5550177', target_type: 'queue', target_id: String(from), created_at: Date.now() })
      .execute();
    await sys.deps.queues.reload();
    const defers: Array<() => unknown> = [];
    onTestFinished(async () => {
      for (const d of defers.reverse()) await d();
    });
    const caller = await stackCaller((fn) => defers.push(fn), sys, '5550177');
    await caller.ear.until(() => sys.deps.queues.waitingCount(target) === 1, 10_000);
    const [waiting] = sys.deps.queues.waiting(target);
    // Still on hold music after the move.
    const heard = caller.ear.frames.length;
    await caller.ear.until(
      () => caller.ear.indexOf(promptFrames('hold-music').slice(0, 5), heard) >= 0,
      10_000,
    );
    await caller.dialog.bye();
    const cdr = await sys.db
      .selectFrom('calls')
      .selectAll()
      .where('call_uuid', '=', waiting!.call.callId)
      .executeTakeFirstOrThrow();
    expect(cdr.queue_id).toBe(from);
    expect(JSON.parse(cdr.transfer_chain!)).toEqual([
      { kind: 'overflow', fromQueueId: from, toQueueId: target, at: expect.any(Number) },
    ]);
  });
});
