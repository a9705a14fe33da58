import type { LiveEvent } from '@switchboard/shared';
import type { B2buaCall } from '../src/switch/calls/b2bua-call';
import type { Defer } from './defer';
import type { TestSystem } from './test-system';

/** Every live event, in order, as an admin sees them. */
export function recordEvents(defer: Defer, sys: TestSystem): LiveEvent[] {
  const seen: LiveEvent[] = [];
  const off = sys.deps.events.subscribe({ userId: 0, role: 'admin' }, (p) => seen.push(p.event));
  defer(off);
  return seen;
}

/** Resolves with the next event `test` accepts (seen by an admin), or rejects after `timeoutMs`. */
export function nextEvent<T extends LiveEvent['type']>(
  sys: TestSystem,
  type: T,
  test: (e: Extract<LiveEvent, { type: T }>) => boolean,
  timeoutMs = 15_000,
): Promise<Extract<LiveEvent, { type: T }>> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      off();
      reject(new Error(`no ${type} event in time (${test.toString()})`));
    }, timeoutMs);
    const off = sys.deps.events.subscribe({ userId: 0, role: 'admin' }, (p) => {
      const e = p.event;
      if (e.type !== type || !test(e as Extract<LiveEvent, { type: T }>)) return;
      clearTimeout(t);
      off();
      resolve(e as Extract<LiveEvent, { type: T }>);
    });
  });
}

/** Waits until the switch has no call in progress (the CDRs are then closed). */
export async function allCallsEnded(sys: TestSystem, timeoutMs = 5000): Promise<void> {
  const engine = sys.deps.calls;
  if (engine.activeCount === 0) return;
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('calls still active')), timeoutMs);
    const off = engine.onCallEnded(() => {
      if (engine.activeCount > 0) return;
      clearTimeout(t);
      off();
      resolve();
    });
  });
}

/** Waits until no call that `matches` is in progress (its CDR is then closed); others may go on. */
export async function callsEnded(
  sys: TestSystem,
  matches: (call: B2buaCall) => boolean,
  timeoutMs = 5000,
): Promise<void> {
  const engine = sys.deps.calls;
  const live = () => [...engine.calls.values()].some(matches);
  if (!live()) return;
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('call still active')), timeoutMs);
    const off = engine.onCallEnded(() => {
      if (live()) return;
      clearTimeout(t);
      off();
      resolve();
    });
  });
}
