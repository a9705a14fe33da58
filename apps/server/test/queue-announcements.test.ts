import { describe, expect, it } from 'vitest';
import { deskPhone } from './call-control-harness';
import { deferrer } from './defer';
import { ids, promptFrames, stackCaller, stackInvite, startSwitch } from './queue-harness';
import { allCallsEnded, nextEvent } from './switch-events';
import { cdrOf } from './test-system';

/**
 * Position and expected-wait announcements: two callers wait in the support queue (no
 * agent available) with `announce_interval_s` 1. Each hears the hold music, then — the music paused —
 * exactly the prompt frames of "You are caller number N. Your expected wait is about M minutes.",
 * then the music again.
 */
describe('queue announcements over the hold music', () => {
  it('each waiting caller hears their position and the expected wait from recent answered calls', {
    timeout: 30_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer, { announce_interval_s: 1 });
    const { support } = await ids(sys);
    // Recent history: answers 2 minutes apart, each caller having waited 5 minutes → 2 min per position.
    const now = Date.now();
    for (let i = 0; i < 3; i++) {
      const answeredAt = now - 600_000 + i * 120_000;
      await sys.db
        .insertInto('calls')
        .values({
          call_uuid: `history-${i}`,
          type: 'inbound',
          queue_id: support,
          started_at: answeredAt - 300_000,
          answered_at: answeredAt,
          ended_at: answeredAt + 60_000,
          disposition: 'answered',
          status: 'closed',
        })
        .execute();
    }
    const music = promptFrames('hold-music');
    const firstJoined = nextEvent(
      sys,
      'queue_waiting',
      (e) => e.queueId === support && e.change === 'joined',
    );
    const first = await stackCaller(defer, sys, '5550101', '+12025550123');
    const firstId = (await firstJoined).callId;
    const secondJoined = nextEvent(
      sys,
      'queue_waiting',
      (e) => e.queueId === support && e.change === 'joined',
    );
    const second = await stackCaller(defer, sys, '5550101', '+12025550124');
    const secondId = (await secondJoined).callId;

    const firstAnnouncement = promptFrames(
      'you-are-caller-number',
      'n-1',
      'expected-wait-about',
      'n-2',
      'minutes',
    );
    const secondAnnouncement = promptFrames(
      'you-are-caller-number',
      'n-2',
      'expected-wait-about',
      'n-4',
      'minutes',
    );
    // Music first, then the whole announcement without a music frame in between, then music again.
    const heard = async (ear: typeof first.ear, announcement: Buffer[]) => {
      let at = -1;
      await ear.until(() => {
        at = ear.indexOf(announcement);
        return at >= 0 && ear.indexOf(music.slice(0, 10), at + announcement.length) >= 0;
      }, 15_000);
      expect(ear.indexOf(music.slice(0, 10))).toBeLessThan(at);
      return at;
    };
    await Promise.all([heard(first.ear, firstAnnouncement), heard(second.ear, secondAnnouncement)]);
    // The first caller was never told the second one's position.
    expect(first.ear.indexOf(promptFrames('you-are-caller-number', 'n-2'))).toBe(-1);

    const abandoned = nextEvent(
      sys,
      'queue_waiting',
      (e) => e.callId === firstId && e.change === 'abandoned',
    );
    await first.dialog.bye();
    await abandoned;
    // Now second in line becomes first: the next announcement says so (expected wait 2 minutes).
    const moved = second.ear.frames.length;
    const promoted = promptFrames('you-are-caller-number', 'n-1', 'expected-wait-about', 'n-2', 'minutes');
    await second.ear.until(() => second.ear.indexOf(promoted, moved) >= 0, 12_000);
    await second.dialog.bye();
    await allCallsEnded(sys);
    for (const id of [firstId, secondId])
      expect(await cdrOf(sys, id)).toMatchObject({ disposition: 'unanswered', hangup_side: 'customer' });
  });

  it('with no recent answered call only the position is said; interval 0 means no announcement', {
    timeout: 20_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer, { announce_interval_s: 1 });
    const caller = await stackCaller(defer, sys, '5550101');
    const position = promptFrames('you-are-caller-number', 'n-1');
    let at = -1;
    await caller.ear.until(() => {
      at = caller.ear.indexOf(position);
      return at >= 0 && caller.ear.frames.length > at + position.length + 10;
    }, 10_000);
    // Straight back to the music: no expected-wait part.
    const after = caller.ear.frames.slice(at + position.length, at + position.length + 5);
    expect(after).toEqual(promptFrames('hold-music').slice(0, 5));
    await caller.dialog.bye();

    const { support } = await ids(sys);
    await sys.db.updateTable('queues').set({ announce_interval_s: 0 }).where('id', '=', support).execute();
    await sys.deps.queues.reload();
    const quiet = await stackCaller(defer, sys, '5550101');
    // 5 s of waiting (well past the first announcement's 1 s): music only.
    await quiet.ear.until(() => quiet.ear.frames.length >= 250, 10_000);
    expect(quiet.ear.indexOf(promptFrames('you-are-caller-number').slice(0, 5))).toBe(-1);
    expect(quiet.ear.indexOf(promptFrames('hold-music').slice(0, 50))).toBeGreaterThanOrEqual(0);
    await quiet.dialog.bye();
    await allCallsEnded(sys);
  });

  it('a customer transferred into the queue hears the queue’s announcements too', {
    timeout: 30_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer, { announce_interval_s: 1 });
    const { support } = await ids(sys);
    // dave (a member of support) is paused, so the transferred customer waits: nobody can take it.
    const api = sys.client();
    await api.login('dave');
    expect((await api.put('/api/agents/me/state', { status: 'paused', reason: 'Break' })).status).toBe(200);
    const dave = await deskPhone(defer, sys, 'dave');
    const customer = await stackInvite(defer, sys, '5550104', '+12025550177');
    const offer = await dave.nextInvite();
    const callId = offer.request.get('x-switchboard-call-id') ?? '';
    await dave.answer(offer);
    const { response, dialog } = await customer.done;
    expect(response.status).toBe(200);

    const joined = nextEvent(sys, 'queue_waiting', (e) => e.callId === callId && e.change === 'joined');
    expect(
      (await api.post(`/api/calls/${callId}/transfer`, { to: { kind: 'queue', queueId: support } })).status,
    ).toBe(200);
    await joined;
    const from = customer.ear.frames.length;
    const announcement = promptFrames('you-are-caller-number', 'n-1');
    await customer.ear.until(() => customer.ear.indexOf(announcement, from) >= 0, 10_000);
    // Music before it (the wait began with music) and after it.
    const at = customer.ear.indexOf(announcement, from);
    const music = promptFrames('hold-music').slice(0, 10);
    await customer.ear.until(() => customer.ear.indexOf(music, at) >= 0, 10_000);
    await dialog!.bye();
    await allCallsEnded(sys);
  });
});
