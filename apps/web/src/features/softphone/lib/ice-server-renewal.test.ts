import type { SoftphoneIceServers } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { RENEWAL_RETRY_MS, renewIceServers } from './ice-server-renewal';

/** A clock whose timers run when the test moves it. */
function manualClock(start: number) {
  let now = start;
  const timers: Array<{ at: number; fn: () => void; id: number }> = [];
  let next = 1;
  return {
    now: () => now,
    setTimeout: (fn: () => void, ms: number) => {
      const id = next++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (id: unknown) => {
      const i = timers.findIndex((t) => t.id === id);
      if (i >= 0) timers.splice(i, 1);
    },
    /** Moves to `to`, running each timer due on the way; resolves after their renewals settled. */
    async advance(to: number) {
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const due = timers[0];
        if (!due || due.at > to) break;
        timers.shift();
        now = due.at;
        due.fn();
        // The renewal's fetch and apply run on promises.
        for (let i = 0; i < 5; i++) await Promise.resolve();
      }
      now = to;
    },
    pending: () => timers.map((t) => t.at),
  };
}

const HOUR = 3_600_000;
const servers = (credential: string) => [{ urls: ['turn:turn.example.com'], username: 'u', credential }];

describe('renewIceServers', () => {
  it('renews when half the remaining life has gone, each time from the new expiry', async () => {
    const clock = manualClock(0);
    const applied: string[] = [];
    let n = 0;
    const fetchFresh = async (): Promise<SoftphoneIceServers> => {
      n++;
      return { iceServers: servers(`c${n}`), expiresAt: clock.now() + 12 * HOUR };
    };
    renewIceServers(12 * HOUR, fetchFresh, (s) => applied.push(s[0]!.credential!), clock);
    expect(clock.pending()).toEqual([6 * HOUR]);
    await clock.advance(6 * HOUR - 1);
    expect(applied).toEqual([]);
    await clock.advance(6 * HOUR);
    expect(applied).toEqual(['c1']);
    // Renewed at 6 h, valid to 18 h: the next renewal is at 12 h.
    expect(clock.pending()).toEqual([12 * HOUR]);
    await clock.advance(12 * HOUR);
    expect(applied).toEqual(['c1', 'c2']);
  });

  it('tries again after a failed renewal, and stops when told', async () => {
    const clock = manualClock(0);
    const applied: string[] = [];
    let fail = true;
    const stop = renewIceServers(
      2 * HOUR,
      async () => {
        if (fail) throw new Error('offline');
        return { iceServers: servers('fresh'), expiresAt: clock.now() + 2 * HOUR };
      },
      (s) => applied.push(s[0]!.credential!),
      clock,
    );
    await clock.advance(HOUR);
    expect(applied).toEqual([]);
    expect(clock.pending()).toEqual([HOUR + RENEWAL_RETRY_MS]);
    fail = false;
    await clock.advance(HOUR + RENEWAL_RETRY_MS);
    expect(applied).toEqual(['fresh']);
    stop();
    expect(clock.pending()).toEqual([]);
  });

  it('a credential that does not expire is not renewed again', async () => {
    const clock = manualClock(0);
    const applied: string[] = [];
    renewIceServers(
      HOUR,
      async () => ({ iceServers: servers('static'), expiresAt: null }),
      (s) => applied.push(s[0]!.credential!),
      clock,
    );
    await clock.advance(HOUR);
    expect(applied).toEqual(['static']);
    expect(clock.pending()).toEqual([]);
  });
});
