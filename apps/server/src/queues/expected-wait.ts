/** One answered call of a queue, as the CDR has it (ms since the epoch). */
export interface AnsweredCall {
  startedAt: number;
  answeredAt: number;
}

/** Only this recent history speaks for the queue's current pace. */
export const EXPECTED_WAIT_WINDOW_MS = 60 * 60_000;
export const EXPECTED_WAIT_SAMPLE = 10;

/**
 * How long the caller at `position` (1 = served next) should expect to wait, in seconds, from the
 * queue's recent answered calls (the last `EXPECTED_WAIT_SAMPLE` within the hour); null when there
 * is no such call to go by.
 *
 * The queue moves one position each time an agent takes a call, so the estimate is position × the
 * mean time between successive answers. A gap between two answers only measures the agents'
 * pace if the later caller was waiting through it: when that caller was answered at once the gap
 * was idle time, so each gap counts at most the later call's own hold time (recent calls answered
 * at once → a short estimate). With a single recent call, its hold time is the pace.
 */
export function expectedWaitS(position: number, recent: AnsweredCall[], now: number): number | null {
  const calls = recent
    .filter((c) => c.answeredAt <= now && now - c.answeredAt <= EXPECTED_WAIT_WINDOW_MS)
    .sort((a, b) => a.answeredAt - b.answeredAt)
    .slice(-EXPECTED_WAIT_SAMPLE);
  if (calls.length === 0 || position < 1) return null;
  let perPosition: number;
  if (calls.length === 1) {
    perPosition = Math.max(0, calls[0]!.answeredAt - calls[0]!.startedAt);
  } else {
    let sum = 0;
    for (let i = 1; i < calls.length; i++) {
      const c = calls[i]!;
      sum += Math.min(c.answeredAt - calls[i - 1]!.answeredAt, Math.max(0, c.answeredAt - c.startedAt));
    }
    perPosition = sum / (calls.length - 1);
  }
  return Math.round((position * perPosition) / 1000);
}

/** What the caller hears: whole minutes, rounded up, at least one ("about 1 minute" rather than 0). */
export function announcedMinutes(waitS: number): number {
  return Math.max(1, Math.ceil(waitS / 60));
}
