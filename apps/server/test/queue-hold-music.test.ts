import { describe, expect, it } from 'vitest';
import { deferrer } from './defer';
import { ids, promptFrames, stackCaller, startSwitch } from './queue-harness';
import { allCallsEnded, nextEvent } from './switch-events';

/**
 * A queue's own hold music: what a waiting caller hears is the music the admin chose for
 * the queue, compared frame by frame with the prompt as the switch sends it; the default when the
 * queue names none or its file cannot be played.
 */
describe('queue hold music', () => {
  const bright = promptFrames('hold-music-bright');
  const standard = promptFrames('hold-music');

  it('a waiting caller hears the music set through the admin API; null brings back the default', {
    timeout: 30_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer);
    const { support } = await ids(sys);
    const admin = sys.client();
    await admin.login('admin');
    // The two pieces must differ, or this test could not tell them apart.
    expect(bright.slice(0, 50)).not.toEqual(standard.slice(0, 50));

    expect(
      (await admin.patch(`/api/admin/queues/${support}`, { holdMusic: 'hold-music-bright' })).status,
    ).toBe(200);
    const first = await stackCaller(defer, sys, '5550101');
    // Past one whole loop of the 4 s piece: the music starts over rather than falling silent.
    await first.ear.until(
      () => first.ear.indexOf(bright, 0) >= 0 && first.ear.frames.length > bright.length + 20,
    );
    expect(first.ear.indexOf(bright.slice(0, 20), bright.length)).toBeGreaterThan(0);
    expect(first.ear.indexOf(standard.slice(0, 10))).toBe(-1);
    await first.dialog.bye();

    expect((await admin.patch(`/api/admin/queues/${support}`, { holdMusic: null })).status).toBe(200);
    const second = await stackCaller(defer, sys, '5550101');
    await second.ear.until(() => second.ear.indexOf(standard.slice(0, 50)) >= 0);
    expect(second.ear.indexOf(bright.slice(0, 10))).toBe(-1);
    await second.dialog.bye();
    await allCallsEnded(sys);
  });

  it('the queue music resumes after an announcement; a music file that cannot be played falls back to the default', {
    timeout: 30_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer, { hold_music: 'hold-music-bright', announce_interval_s: 1 });
    const { support } = await ids(sys);
    const caller = await stackCaller(defer, sys, '5550101');
    const position = promptFrames('you-are-caller-number', 'n-1');
    let at = -1;
    await caller.ear.until(() => {
      at = caller.ear.indexOf(position);
      return at >= 0 && caller.ear.frames.length >= at + position.length + 20;
    }, 10_000);
    expect(caller.ear.indexOf(bright.slice(0, 10))).toBeLessThan(at);
    expect(caller.ear.frames.slice(at + position.length, at + position.length + 20)).toEqual(
      bright.slice(0, 20),
    );
    expect(caller.ear.indexOf(standard.slice(0, 10))).toBe(-1);
    await caller.dialog.bye();

    // As if the file was deleted after the admin chose it (the API only accepts playable music).
    await sys.db
      .updateTable('queues')
      .set({ hold_music: 'hold-music-deleted', announce_interval_s: 0 })
      .where('id', '=', support)
      .execute();
    await sys.deps.queues.reload();
    const fallback = await stackCaller(defer, sys, '5550101');
    await fallback.ear.until(() => fallback.ear.indexOf(standard.slice(0, 50)) >= 0);
    await fallback.dialog.bye();
    await allCallsEnded(sys);
  });

  it('a caller overflowing into another queue hears that queue’s music from then on', {
    timeout: 30_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer);
    const { support } = await ids(sys);
    const sales = await sys.db
      .selectFrom('queues')
      .select('id')
      .where('name', '=', 'sales')
      .executeTakeFirstOrThrow();
    await sys.db
      .updateTable('queues')
      .set({ hold_music: 'hold-music-bright', announce_interval_s: 0 })
      .where('id', '=', sales.id)
      .execute();
    await sys.db
      .updateTable('queues')
      .set({ max_wait_s: 2, overflow_type: 'queue', overflow_target: String(sales.id) })
      .where('id', '=', support)
      .execute();
    await sys.deps.queues.reload();
    const overflowed = nextEvent(
      sys,
      'queue_waiting',
      (e) => e.queueId === sales.id && e.change === 'joined',
    );
    const caller = await stackCaller(defer, sys, '5550101');
    await overflowed;
    const switched = caller.ear.frames.length;
    await caller.ear.until(() => caller.ear.indexOf(bright.slice(0, 50), switched) >= 0);
    // Support's default music before, sales' own after.
    const first = caller.ear.indexOf(standard.slice(0, 20));
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThan(switched);
    expect(caller.ear.indexOf(bright.slice(0, 10))).toBeGreaterThan(first);
    await caller.dialog.bye();
    await allCallsEnded(sys);
  });
});
