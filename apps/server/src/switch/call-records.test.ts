import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import { createSqliteDatabase } from '../db/sqlite/sqlite-database';
import { createLogger } from '../observability/logger';
import { CallRecords } from './call-records';
import { NodeHeartbeat } from './node-heartbeat';

describe('CallRecords', () => {
  let db: Db;
  let now = 1_800_000_000_000;
  beforeAll(async () => {
    db = createSqliteDatabase(':memory:');
    await migrateToLatest(db);
  });
  afterAll(() => db.destroy());

  const get = (id: number) =>
    db.selectFrom('calls').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('writes the row at start and completes it as the call progresses', async () => {
    const records = new CallRecords(db, 'node-a', () => now);
    const call = await records.open({
      type: 'inbound',
      customerNumber: '+12025550143',
      calledNumber: '5550104',
    });
    expect(await get(call.id)).toMatchObject({
      status: 'open',
      customer_digits: '12025550143',
      node_id: 'node-a',
    });
    now += 7_000;
    await records.answered(call.id);
    now += 65_000;
    await records.close(call.id, {
      disposition: 'answered',
      hangupCause: 'normal_clearing',
      hangupSide: 'customer',
    });
    expect(await get(call.id)).toMatchObject({
      status: 'closed',
      ring_time_s: 7,
      duration_s: 65,
      disposition: 'answered',
    });
    // a second close (the other side's BYE racing) changes nothing
    await records.close(call.id, { disposition: 'failed', hangupCause: 'x', hangupSide: 'agent' });
    expect((await get(call.id)).disposition).toBe('answered');
  });

  it('counts the ringing time as the duration of unanswered or busy manual calls', async () => {
    const records = new CallRecords(db, 'node-a', () => now);
    const manual = await records.open({ type: 'manual', customerNumber: '+12025550100' });
    const inbound = await records.open({ type: 'inbound', customerNumber: '+12025550101' });
    now += 12_000;
    await records.close(manual.id, { disposition: 'busy', hangupCause: 'user_busy', hangupSide: 'customer' });
    await records.close(inbound.id, {
      disposition: 'unanswered',
      hangupCause: 'no_answer',
      hangupSide: 'customer',
    });
    expect(await get(manual.id)).toMatchObject({ duration_s: 12, ring_time_s: 12 });
    expect(await get(inbound.id)).toMatchObject({ duration_s: 0, ring_time_s: 12 });
  });

  it('closes the calls a crash left open as interrupted, only for its own node', async () => {
    const a = new CallRecords(db, 'node-crash', () => now);
    const b = new CallRecords(db, 'node-other', () => now);
    const answered = await a.open({ type: 'inbound' });
    await a.answered(answered.id);
    const ringing = await a.open({ type: 'manual' });
    const elsewhere = await b.open({ type: 'inbound' });
    now += 30_000;
    const restarted = new CallRecords(db, 'node-crash', () => now);
    expect(await restarted.closeInterrupted()).toBe(2);
    expect(await get(answered.id)).toMatchObject({
      status: 'closed',
      hangup_cause: 'interrupted',
      disposition: 'answered',
      duration_s: 30,
    });
    expect(await get(ringing.id)).toMatchObject({
      status: 'closed',
      hangup_cause: 'interrupted',
      disposition: 'unanswered',
    });
    expect((await get(elsewhere.id)).status).toBe('open');
  });

  it("ends a crashed node's calls at its last heartbeat, not at the restart: the downtime is not talk time", async () => {
    const a = new CallRecords(db, 'node-beat', () => now);
    const call = await a.open({ type: 'inbound' });
    await a.answered(call.id);
    const leg = await a.openLeg(call.id, {
      legUuid: `${call.uuid}-l1`,
      role: 'customer',
      peer: '+12025550100',
    });
    const heartbeat = new NodeHeartbeat(db, 'node-beat', createLogger('silent'), 60_000, () => now);
    expect(await heartbeat.lastAlive()).toBeNull();
    now += 6_000;
    await heartbeat.beat();
    const lastBeat = now;
    // Killed here; restarted 40 s later.
    now += 40_000;
    const restarted = new CallRecords(db, 'node-beat', () => now);
    expect(await restarted.closeInterrupted(await heartbeat.lastAlive())).toBe(1);
    const row = await get(call.id);
    expect(row).toMatchObject({ status: 'closed', hangup_cause: 'interrupted', duration_s: 6 });
    expect(Number(row.ended_at)).toBe(lastBeat);
    const legRow = await db
      .selectFrom('call_legs')
      .selectAll()
      .where('id', '=', leg)
      .executeTakeFirstOrThrow();
    expect(Number(legRow.ended_at)).toBe(lastBeat);
  });

  it('answers and ends the legs with the call, an ended leg keeping its outcome; times rounded to the nearest second', async () => {
    const records = new CallRecords(db, 'node-legs', () => now);
    const call = await records.open({ type: 'manual' });
    const open = async (suffix: string) =>
      records.openLeg(call.id, { legUuid: `${call.uuid}-${suffix}`, role: 'agent', peer: suffix });
    const [a, b, c] = [await open('a'), await open('b'), await open('c')];
    const leg = (id: number) =>
      db.selectFrom('call_legs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const started = now;
    await records.answered(call.id, started + 2_499, [a, b]);
    expect(await get(call.id)).toMatchObject({ answered_at: started + 2_499, ring_time_s: 2 });
    expect([(await leg(a)).answered_at, (await leg(b)).answered_at, (await leg(c)).answered_at]).toEqual([
      started + 2_499,
      started + 2_499,
      null,
    ]);
    await records.updateLeg(b, { ended_at: started + 3_000, disposition: 'failed', hangup_cause: 'gone' });
    await records.close(
      call.id,
      { disposition: 'answered', hangupCause: 'normal_clearing', hangupSide: 'agent' },
      started + 12_999,
      [a, b, c],
    );
    expect(await get(call.id)).toMatchObject({ status: 'closed', ring_time_s: 2, duration_s: 11 });
    expect(await leg(a)).toMatchObject({ ended_at: started + 12_999, disposition: 'answered' });
    expect(await leg(b)).toMatchObject({ ended_at: started + 3_000, disposition: 'failed' });
    expect(await leg(c)).toMatchObject({ ended_at: started + 12_999, hangup_cause: 'normal_clearing' });

    // A manual call nobody answered lasts its ringing time, rounded half up as Math.round does.
    const busy = await records.open({ type: 'manual' });
    await records.close(
      busy.id,
      { disposition: 'busy', hangupCause: 'user_busy', hangupSide: 'customer' },
      now + 4_500,
    );
    expect(await get(busy.id)).toMatchObject({ ring_time_s: 5, duration_s: 5 });
  });
});
