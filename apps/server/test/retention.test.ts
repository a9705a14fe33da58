import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { purgeExpired } from '../src/retention/retention';
import { describeEachDatabase } from './test-system';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);

/**
 * Retention on real databases (docs/operations.md): recordings older than their limit lose their
 * files and rows, calls older than theirs go with their legs and recordings; open calls and
 * recordings being written stay however old; what went is audited once.
 */
describeEachDatabase('retention', (sys) => {
  it('removes what is past each limit, keeps open calls and recordings being written, audits the run', async () => {
    const { db } = sys();
    const dir = sys().deps.config.recordingsDir;
    let n = 0;
    const call = async (ageDays: number, open = false) => {
      n++;
      const started = NOW - ageDays * DAY;
      const row = await db
        .insertInto('calls')
        .values({
          call_uuid: `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`,
          type: 'inbound',
          customer_number: '+12025550100',
          customer_digits: '12025550100',
          caller_number: '+12025550100',
          called_number: '5550100',
          started_at: started,
          answered_at: started + 3000,
          ended_at: open ? null : started + 60_000,
          duration_s: 57,
          ring_time_s: 3,
          disposition: open ? null : 'answered',
          status: open ? 'open' : 'closed',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('call_legs')
        .values({ call_id: row.id, leg_uuid: `retention-leg-${n}`, role: 'customer', started_at: started })
        .execute();
      return { id: row.id, started };
    };
    const recording = async (c: { id: number; started: number }, status: 'complete' | 'recording') => {
      const rel = path.join('retention-test', `${c.id}-${n}.wav`);
      mkdirSync(path.join(dir, 'retention-test'), { recursive: true });
      writeFileSync(path.join(dir, rel), Buffer.alloc(1044));
      const r = await db
        .insertInto('recordings')
        .values({ call_id: c.id, path: rel, started_at: c.started, size_bytes: 1044, status })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db.updateTable('calls').set({ recording_id: r.id }).where('id', '=', c.id).execute();
      return { id: r.id, file: path.join(dir, rel) };
    };

    const ancient = await call(400);
    const ancientRec = await recording(ancient, 'complete');
    const ancientOpen = await call(400, true);
    const month = await call(40);
    const monthRec = await recording(month, 'complete');
    const stillWriting = await recording(await call(40), 'recording');
    const recent = await call(2);
    const recentRec = await recording(recent, 'complete');
    const auditBefore = (await db.selectFrom('audit_log').select('id').execute()).length;

    const result = await purgeExpired(
      db,
      dir,
      { recordingsDays: 30, callsDays: 365 },
      sys().deps.logger,
      NOW,
    );
    expect(result).toEqual({ recordings: 2, recordingBytes: 2 * 1044, calls: 1 });

    const calls = (
      await db
        .selectFrom('calls')
        .select('id')
        .where('call_uuid', 'like', '00000000-0000-4000-9000-%')
        .execute()
    ).map((c) => c.id);
    expect(calls).not.toContain(ancient.id);
    expect(calls).toEqual(expect.arrayContaining([ancientOpen.id, month.id, recent.id]));
    expect(await db.selectFrom('call_legs').select('id').where('call_id', '=', ancient.id).execute()).toEqual(
      [],
    );
    const recordings = (await db.selectFrom('recordings').select('id').execute()).map((r) => r.id);
    expect(recordings).not.toContain(ancientRec.id);
    expect(recordings).not.toContain(monthRec.id);
    expect(recordings).toEqual(expect.arrayContaining([stillWriting.id, recentRec.id]));
    expect([ancientRec, monthRec].map((r) => existsSync(r.file))).toEqual([false, false]);
    expect([stillWriting, recentRec].map((r) => existsSync(r.file))).toEqual([true, true]);
    // The month-old call stays, without its recording.
    const kept = await db
      .selectFrom('calls')
      .select('recording_id')
      .where('id', '=', month.id)
      .executeTakeFirstOrThrow();
    expect(kept.recording_id).toBeNull();

    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('action', '=', 'retention.purge')
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.after!)).toMatchObject({ recordings: 2, calls: 1 });
    expect((await db.selectFrom('audit_log').select('id').execute()).length).toBe(auditBefore + 1);

    // Nothing left to do: nothing removed, nothing audited.
    expect(
      await purgeExpired(db, dir, { recordingsDays: 30, callsDays: 365 }, sys().deps.logger, NOW),
    ).toEqual({
      recordings: 0,
      recordingBytes: 0,
      calls: 0,
    });
    expect((await db.selectFrom('audit_log').select('id').execute()).length).toBe(auditBefore + 1);
  });
});
