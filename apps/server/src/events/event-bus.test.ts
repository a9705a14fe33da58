import { describe, expect, it } from 'vitest';
import { EventBus } from './event-bus';

const reg = (ext: string) =>
  ({ type: 'registration', extension: ext, registered: true, contacts: 1, at: 1 }) as const;

describe('EventBus', () => {
  it('delivers an event only to its audience', () => {
    const bus = new EventBus();
    const alice: string[] = [];
    const sam: string[] = [];
    bus.subscribe({ userId: 1, role: 'agent' }, (e) =>
      alice.push((e.event as { extension: string }).extension),
    );
    bus.subscribe({ userId: 2, role: 'supervisor' }, (e) =>
      sam.push((e.event as { extension: string }).extension),
    );
    bus.publish(reg('a'), { userIds: [1] });
    bus.publish(reg('b'), { minRole: 'supervisor' });
    bus.publish(reg('c'), { userIds: [3] });
    expect(alice).toEqual(['a']);
    expect(sam).toEqual(['b']);
  });

  it('a portal subscriber sees only events addressed to them, never staff events', () => {
    const bus = new EventBus();
    const seen: number[] = [];
    bus.subscribe({ subscriberId: 7 }, (e) => seen.push(e.id));
    const staff: number[] = [];
    bus.subscribe({ userId: 7, role: 'admin' }, (e) => staff.push(e.id));
    bus.publish(reg('a'), { subscriberIds: [7] });
    bus.publish(reg('b'), { minRole: 'agent', userIds: [7] });
    bus.publish(reg('c'), { subscriberIds: [8] });
    expect(seen).toEqual([1]);
    expect(staff).toEqual([2]);
    expect(bus.since(0, { subscriberId: 7 }).map((e) => e.id)).toEqual([1]);
  });

  it('replays what a viewer missed since an event id', () => {
    const bus = new EventBus(3);
    for (const ext of ['1', '2', '3', '4']) bus.publish(reg(ext), { userIds: [1] });
    const missed = bus.since(2, { userId: 1, role: 'agent' });
    expect(missed.map((e) => e.id)).toEqual([3, 4]);
    expect(bus.since(0, { userId: 9, role: 'agent' })).toEqual([]);
  });

  it('stops delivering after unsubscribe', () => {
    const bus = new EventBus();
    let n = 0;
    const off = bus.subscribe({ userId: 1, role: 'agent' }, () => n++);
    bus.publish(reg('x'), { userIds: [1] });
    off();
    bus.publish(reg('y'), { userIds: [1] });
    expect(n).toBe(1);
    expect(bus.subscriberCount).toBe(0);
  });

  it('tells a new stream where now is', () => {
    const bus = new EventBus();
    expect(bus.latestId).toBe(0);
    bus.publish(reg('a'), { userIds: [1] });
    bus.publish(reg('b'), { userIds: [1] });
    expect(bus.latestId).toBe(2);
    expect(bus.since(bus.latestId, { userId: 1, role: 'agent' })).toEqual([]);
  });
});
