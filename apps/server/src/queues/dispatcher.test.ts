import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AgentBoard } from '../agents/agent-board';
import type { QueueStrategy } from '../db/schema';
import { type DispatcherListener, QueueDispatcher, type WaitingChange } from './dispatcher';
import type {
  AgentOffer,
  AgentOfferPort,
  AgentPool,
  CallbackPort,
  OfferResult,
  QueueConfig,
  QueueMember,
} from './types';

interface Ring {
  offer: AgentOffer;
  resolve(r: OfferResult): void;
  reject(e: Error): void;
  cancelled: number;
}

/** The switch stand-in: every offer waits until the test answers, declines, fails or lets it time out. */
class FakePort implements AgentOfferPort {
  rings: Ring[] = [];
  cancels: AgentOffer[] = [];
  mode: 'wait' | 'throw' | 'reject' | 'never' = 'wait';
  offer(offer: AgentOffer): Promise<OfferResult> {
    if (this.mode === 'throw') throw new Error('leg failed');
    return new Promise((resolve, reject) => {
      this.rings.push({ offer, resolve, reject, cancelled: 0 });
      if (this.mode === 'reject') reject(new Error('no route'));
    });
  }
  cancel(offer: AgentOffer): void {
    this.cancels.push(offer);
    const r = this.rings.find((x) => x.offer === offer);
    if (r) r.cancelled++;
  }
  /** Offers not yet cancelled or settled by the test, oldest first. */
  live(): Ring[] {
    return this.rings.filter((r) => r.cancelled === 0 && !(r as { settled?: boolean }).settled);
  }
  ringingUsers(): number[] {
    return this.live().map((r) => r.offer.userId);
  }
  settle(userId: number, result: OfferResult): Ring {
    const r = this.live().find((x) => x.offer.userId === userId);
    if (!r) throw new Error(`agent ${userId} is not ringing`);
    (r as { settled?: boolean }).settled = true;
    if (result === 'answered') r.offer.claim();
    r.resolve(result);
    return r;
  }
}

const baseConfig: QueueConfig = {
  id: 1,
  name: 'sales',
  strategy: 'longest-idle',
  ringTimeoutS: 15,
  retryDelayS: 2,
  wrapupS: 0,
  maxNoAnswer: 0,
  maxWaitS: 0,
  overflow: { type: 'hangup' },
  maxLength: 0,
  announceIntervalS: 0,
  serviceLevelS: 20,
  holdMusic: null,
  virtualHold: null,
};

function setup(
  opts: {
    strategy?: QueueStrategy;
    config?: Partial<QueueConfig>;
    agents?: { userId: number; penalty?: number; idleSince?: number; registered?: boolean }[];
    random?: () => number;
    callbacks?: CallbackPort;
  } = {},
) {
  const config: QueueConfig = { ...baseConfig, strategy: opts.strategy ?? 'longest-idle', ...opts.config };
  const agents = opts.agents ?? [
    { userId: 1, idleSince: 300 },
    { userId: 2, idleSince: 100 },
    { userId: 3, idleSince: 200 },
  ];
  const registered = new Set(agents.filter((a) => a.registered !== false).map((a) => `10${a.userId}`));
  const board = new AgentBoard({ isRegistered: (e) => registered.has(e), wrapupFor: () => config.wrapupS });
  for (const a of agents) {
    board.load({
      userId: a.userId,
      extension: `10${a.userId}`,
      loggedIn: true,
      queues: new Map([[config.id, { penalty: a.penalty ?? 0, paused: null }]]),
      basePause: null,
      since: a.idleSince ?? 0,
    });
  }
  const autoPaused: number[] = [];
  const pool: AgentPool = {
    isAvailable: (u, q) => board.isAvailable(u, q),
    isStaffing: (u, q) => board.staffs(u, q),
    extensionOf: (u) => board.extensionOf(u),
    idleSince: (u) => board.idleSince(u),
    reserve: (u, c) => board.reserve(u, c),
    release: (u, c) => board.release(u, c),
    answered: (u, q, c) => board.markOnCall(u, { callId: c, queueId: q }),
    autoPause: (u) => {
      autoPaused.push(u);
      board.setPaused(u, null, 'missed');
    },
  };
  const port = new FakePort();
  const changes: { callId: string; change: WaitingChange; position: number | null }[] = [];
  const overflows: { callId: string; reason: string; target: unknown }[] = [];
  const left: { callId: string; reason: string }[] = [];
  const listener: DispatcherListener = {
    waitingChanged: (_q, call, change, position) => changes.push({ callId: call.callId, change, position }),
    overflow: (call, _q, target, reason) => overflows.push({ callId: call.callId, reason, target }),
    left: (call, _q, reason) => left.push({ callId: call.callId, reason }),
  };
  const members: QueueMember[] = agents.map((a) => ({ userId: a.userId, penalty: a.penalty ?? 0 }));
  const d = new QueueDispatcher(config, members, pool, () => port, listener, {
    random: opts.random,
    callbacks: () => opts.callbacks ?? null,
  });
  board.onAvailable(() => d.poke());
  const call = (id: string) => ({ callId: id, callerNumber: `+1555000${id}`, callerName: null });
  /** The agent finishes the call: free at once (no wrap-up) unless the queue has wrap-up. */
  const endCall = (userId: number) => board.markWrapUp(userId);
  return { d, board, port, changes, overflows, left, autoPaused, registered, call, endCall, config };
}

/** Lets settled offers (promise callbacks) run. */
const flush = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(10_000);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('QueueDispatcher strategies', () => {
  it('longest-idle (default) rings the agent free the longest, one at a time', async () => {
    const { d, port, call } = setup();
    expect(d.enqueue(call('a'))).toBe('queued');
    expect(port.ringingUsers()).toEqual([2]);
  });

  it('ring-all rings every available agent; the first to answer wins, the rest are cancelled and freed', async () => {
    const { d, port, board, call } = setup({ strategy: 'ring-all' });
    d.enqueue(call('a'));
    expect(port.ringingUsers().sort()).toEqual([1, 2, 3]);
    port.settle(3, 'answered');
    await flush();
    expect(board.get(3)?.status).toBe('on_call');
    expect(port.cancels.map((o) => o.userId).sort()).toEqual([1, 2]);
    expect(board.isAvailable(1, 1)).toBe(true);
    expect(board.isAvailable(2, 1)).toBe(true);
    expect(d.waitingCount).toBe(0);
  });

  it('ring-all: two agents answering at once — exactly one claim wins', async () => {
    const { d, port, board, call } = setup({ strategy: 'ring-all' });
    d.enqueue(call('a'));
    const [r1, r2] = port.rings;
    expect(r1!.offer.claim()).toBe(true);
    expect(r2!.offer.claim()).toBe(false);
    r1!.resolve('answered');
    r2!.resolve('answered');
    await flush();
    expect(board.get(r1!.offer.userId)?.status).toBe('on_call');
    expect(board.get(r2!.offer.userId)?.status).toBe('idle');
    expect(board.isAvailable(r2!.offer.userId, 1)).toBe(true);
  });

  it('round-robin remembers where it stopped, across calls', async () => {
    const { d, port, call, endCall } = setup({ strategy: 'round-robin' });
    const order: number[] = [];
    for (let i = 0; i < 6; i++) {
      d.enqueue(call(`c${i}`));
      const [u] = port.ringingUsers();
      order.push(u!);
      port.settle(u!, 'answered');
      await flush();
      endCall(u!);
    }
    expect(order).toEqual([1, 2, 3, 1, 2, 3]);
  });

  it('round-robin skips a busy agent and continues after the one it rang', async () => {
    const { d, port, call, board } = setup({ strategy: 'round-robin' });
    board.markOnCall(2);
    d.enqueue(call('a'));
    expect(port.ringingUsers()).toEqual([1]);
    port.settle(1, 'answered');
    await flush();
    d.enqueue(call('b'));
    expect(port.ringingUsers()).toEqual([3]);
  });

  it('fewest-calls picks the agent who answered the fewest calls in this queue', async () => {
    const { d, port, call, endCall, board } = setup({ strategy: 'fewest-calls' });
    // Agents 1 and 3 are on other calls; agent 2 takes two queue calls.
    board.markOnCall(1);
    board.markOnCall(3);
    for (const id of ['x', 'y']) {
      d.enqueue(call(id));
      expect(port.ringingUsers()).toEqual([2]);
      port.settle(2, 'answered');
      await flush();
      endCall(2);
    }
    await vi.advanceTimersByTimeAsync(1_000);
    board.markFree(3);
    await vi.advanceTimersByTimeAsync(1_000);
    board.markFree(1);
    // Agent 2 is the longest idle, but 1 and 3 answered none: 3 (idle longer than 1) gets it.
    d.enqueue(call('z'));
    expect(port.ringingUsers()).toEqual([3]);
  });

  it('random picks with the injected random source among the tier', async () => {
    const { d, port, call } = setup({ strategy: 'random', random: () => 0.99 });
    d.enqueue(call('a'));
    expect(port.ringingUsers()).toEqual([3]);
    const second = setup({ strategy: 'random', random: () => 0 });
    second.d.enqueue(second.call('a'));
    expect(second.port.ringingUsers()).toEqual([1]);
  });

  it('penalty tiers: higher penalties are rung only when no lower tier agent is available', async () => {
    const { d, port, call, board } = setup({
      agents: [
        { userId: 1, penalty: 1, idleSince: 0 },
        { userId: 2, penalty: 0, idleSince: 500 },
      ],
    });
    d.enqueue(call('a'));
    expect(port.ringingUsers()).toEqual([2]);
    port.settle(2, 'answered');
    await flush();
    expect(board.get(2)?.status).toBe('on_call');
    d.enqueue(call('b'));
    expect(port.ringingUsers()).toEqual([1]);
  });
});

describe('QueueDispatcher delivery rules', () => {
  it('never delivers to a paused, busy, wrapping-up, logged-out or unregistered agent', async () => {
    const { d, port, call, board, registered } = setup({
      config: { wrapupS: 30 },
      agents: [
        { userId: 1, idleSince: 1 },
        { userId: 2, idleSince: 2 },
        { userId: 3, idleSince: 3 },
        { userId: 4, idleSince: 4 },
        { userId: 5, idleSince: 5, registered: false },
      ],
    });
    board.setPaused(1, [1], 'Lunch');
    board.markOnCall(2);
    board.markOnCall(3, { queueId: 1 });
    board.markWrapUp(3);
    board.logout(4);
    d.enqueue(call('a'));
    expect(port.ringingUsers()).toEqual([]);
    await vi.advanceTimersByTimeAsync(60_000);
    // Agent 3's wrap-up is over: only now does the call ring.
    expect(port.ringingUsers()).toEqual([3]);
    port.settle(3, 'declined');
    await flush();
    // The unregistered agent registers: delivered after the retry delay.
    registered.add('105');
    board.registrationChanged('105');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(port.ringingUsers()).toEqual([5]);
  });

  it('wrap-up delays the next call by the queue wrap-up time', async () => {
    const { d, port, call, endCall } = setup({ config: { wrapupS: 10 }, agents: [{ userId: 1 }] });
    d.enqueue(call('a'));
    port.settle(1, 'answered');
    await flush();
    d.enqueue(call('b'));
    endCall(1);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(port.ringingUsers()).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(port.ringingUsers()).toEqual([1]);
  });

  it('ring timeout cancels the offer, the call waits the retry delay, and the next agent is tried first', async () => {
    const { d, port, call } = setup({ config: { ringTimeoutS: 15, retryDelayS: 5 } });
    d.enqueue(call('a'));
    expect(port.ringingUsers()).toEqual([2]);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(port.cancels.map((o) => o.userId)).toEqual([2]);
    expect(port.ringingUsers()).toEqual([]);
    await vi.advanceTimersByTimeAsync(5_000);
    // Agent 2 is still the longest idle but missed this call: agent 3 (next longest idle) first.
    expect(port.ringingUsers()).toEqual([3]);
    port.settle(3, 'declined');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(port.ringingUsers()).toEqual([1]);
    port.settle(1, 'no_answer');
    // Everybody was tried: a new round starts with the longest idle again.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(port.ringingUsers()).toEqual([2]);
  });

  it('a declining agent still gets the next call; only this one skips them', async () => {
    const { d, port, call } = setup({
      agents: [
        { userId: 1, idleSince: 0 },
        { userId: 2, idleSince: 50 },
      ],
    });
    d.enqueue(call('a'));
    d.enqueue(call('b'));
    expect(port.ringingUsers().sort()).toEqual([1, 2]);
    port.settle(1, 'declined');
    await flush();
    expect(port.ringingUsers()).toEqual([2]);
    port.settle(2, 'declined');
    await flush();
    // Both calls wait their retry delay, then each goes to the agent who did not decline it.
    expect(port.ringingUsers()).toEqual([]);
    await vi.advanceTimersByTimeAsync(2_000);
    const now = port.live().map((r) => [r.offer.call.callId, r.offer.userId]);
    expect(now.sort()).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
  });

  it('an agent who declined a call is not offered it again; others are, and a supervisor may still send it', async () => {
    const { d, port, call, board } = setup({
      config: { retryDelayS: 2 },
      agents: [
        { userId: 1, idleSince: 0 },
        { userId: 2, idleSince: 50 },
      ],
    });
    board.setPaused(2, null, 'Break');
    d.enqueue(call('a'));
    expect(port.ringingUsers()).toEqual([1]);
    port.settle(1, 'declined');
    await flush();
    // Rounds go by: agent 1 said no to this call, it waits for someone else.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(port.ringingUsers()).toEqual([]);
    board.setPaused(2, null, null);
    await flush();
    expect(port.ringingUsers()).toEqual([2]);
    port.settle(2, 'no_answer');
    await vi.advanceTimersByTimeAsync(10_000);
    // Agent 2 only missed it: a new round rings them again, never agent 1.
    expect(port.live().every((r) => r.offer.userId === 2)).toBe(true);
    expect(port.ringingUsers()).toEqual([2]);
    port.settle(2, 'no_answer');
    await flush();
    expect(d.assign('a', 1)).toBe('offered');
    expect(port.ringingUsers()).toEqual([1]);
  });

  it('max no-answer pauses the agent with reason "missed", who then gets no calls', async () => {
    const { d, port, call, board, autoPaused } = setup({
      config: { maxNoAnswer: 2, ringTimeoutS: 10, retryDelayS: 1 },
      agents: [{ userId: 1 }],
    });
    d.enqueue(call('a'));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(autoPaused).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(port.ringingUsers()).toEqual([1]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(autoPaused).toEqual([1]);
    expect(board.get(1)?.status).toBe('paused');
    expect(board.get(1)?.reason).toBe('missed');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(port.ringingUsers()).toEqual([]);
    board.setPaused(1, null, null);
    expect(port.ringingUsers()).toEqual([1]);
  });

  it('an answer resets the consecutive no-answer count', async () => {
    const { d, port, call, autoPaused, endCall } = setup({
      config: { maxNoAnswer: 2, ringTimeoutS: 10, retryDelayS: 1 },
      agents: [{ userId: 1 }],
    });
    d.enqueue(call('a'));
    await vi.advanceTimersByTimeAsync(11_000);
    port.settle(1, 'answered');
    await flush();
    endCall(1);
    d.enqueue(call('b'));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(autoPaused).toEqual([]);
  });

  it('max wait overflows to the configured target and cancels any ringing', async () => {
    const { d, port, call, overflows, board } = setup({
      config: { maxWaitS: 30, overflow: { type: 'extension', extension: '1004' } },
      agents: [{ userId: 1 }],
    });
    board.markOnCall(1);
    d.enqueue(call('a'));
    await vi.advanceTimersByTimeAsync(29_999);
    expect(overflows).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(overflows).toEqual([
      { callId: 'a', reason: 'max_wait', target: { type: 'extension', extension: '1004' } },
    ]);
    expect(d.waitingCount).toBe(0);
    board.markFree(1);
    expect(port.rings).toEqual([]);
  });

  it("a flow caller leaves by its own max wait instead of the queue's rule; others keep the queue's", async () => {
    const { d, call, overflows, left, board } = setup({
      config: { maxWaitS: 30, overflow: { type: 'extension', extension: '1004' } },
      agents: [{ userId: 1 }],
    });
    board.markOnCall(1);
    d.enqueue({ ...call('a'), leave: { maxWait: true, maxWaitS: 5 } });
    d.enqueue({ ...call('b'), leave: { maxWaitS: 10 } });
    d.enqueue(call('c'));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(left).toEqual([{ callId: 'a', reason: 'max_wait' }]);
    expect(overflows).toEqual([]);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(overflows.map((o) => o.callId)).toEqual(['b']);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(overflows.map((o) => o.callId)).toEqual(['b', 'c']);
    expect(left).toHaveLength(1);
  });

  it('no agents: refused on arrival when no member is signed in, and sent back when the last one signs out', () => {
    const { d, call, left, board } = setup({ agents: [{ userId: 1 }, { userId: 2 }] });
    board.logout(2);
    board.markOnCall(1);
    // Busy on a call still staffs the queue.
    expect(d.enqueue({ ...call('a'), leave: { noAgents: true } })).toBe('queued');
    d.enqueue(call('b'));
    board.logout(1);
    expect(left).toEqual([]);
    d.leaveIfUnstaffed();
    expect(left).toEqual([{ callId: 'a', reason: 'no_agents' }]);
    expect(d.snapshot().map((s) => s.call.callId)).toEqual(['b']);
    expect(d.enqueue({ ...call('c'), leave: { noAgents: true } })).toBe('no_agents');
    expect(d.waitingCount).toBe(1);
  });

  it('a full queue leaves a flow caller with a full exit to the flow, without the overflow target', () => {
    const { d, call, overflows } = setup({
      config: { maxLength: 1, overflow: { type: 'extension', extension: '1004' } },
      agents: [{ userId: 1 }],
    });
    d.enqueue(call('a'));
    expect(d.enqueue({ ...call('b'), leave: { full: true } })).toBe('full');
    expect(overflows).toEqual([]);
  });

  it('max length: a caller beyond it is not queued and overflows as full', async () => {
    const { d, call, overflows, board } = setup({ config: { maxLength: 1 }, agents: [{ userId: 1 }] });
    board.logout(1);
    expect(d.enqueue(call('a'))).toBe('queued');
    expect(d.enqueue(call('b'))).toBe('full');
    expect(overflows).toEqual([{ callId: 'b', reason: 'full', target: { type: 'hangup' } }]);
    expect(d.snapshot().map((s) => s.call.callId)).toEqual(['a']);
  });

  it('serves FIFO unless reordered: up, down and top change who is served next', async () => {
    const { d, port, call, board } = setup({ agents: [{ userId: 1 }] });
    board.logout(1);
    for (const id of ['a', 'b', 'c', 'd']) d.enqueue(call(id));
    expect(d.move('d', 'top')).toBe(1);
    expect(d.move('b', 'down')).toBe(4);
    expect(d.move('c', 'up')).toBe(2);
    expect(d.move('d', 'up')).toBe(1);
    expect(d.move('nope', 'up')).toBeNull();
    expect(d.snapshot().map((s) => s.call.callId)).toEqual(['d', 'c', 'a', 'b']);
    board.login(1);
    expect(port.rings.map((r) => r.offer.call.callId)).toEqual(['d']);
  });

  it('a supervisor sends a waiting call to a chosen agent, cancelling the current ringing', async () => {
    const { d, port, call, board } = setup();
    d.enqueue(call('a'));
    expect(port.ringingUsers()).toEqual([2]);
    expect(d.assign('a', 1)).toBe('offered');
    expect(port.ringingUsers()).toEqual([1]);
    expect(port.cancels.map((o) => o.userId)).toEqual([2]);
    // The released agent is not handed the call back while the chosen one rings.
    expect(board.isAvailable(2, 1)).toBe(true);
    board.markOnCall(3);
    expect(d.assign('a', 3)).toBe('unavailable');
    expect(d.assign('zzz', 3)).toBe('no_such_call');
    port.settle(1, 'answered');
    await flush();
    expect(board.get(1)?.status).toBe('on_call');
  });
});

describe('QueueDispatcher races', () => {
  it('two calls, one agent: one offer at a time, the second call after the first ends', async () => {
    const { d, port, call, endCall } = setup({ agents: [{ userId: 1 }] });
    d.enqueue(call('a'));
    d.enqueue(call('b'));
    expect(port.rings.map((r) => r.offer.call.callId)).toEqual(['a']);
    port.settle(1, 'answered');
    await flush();
    expect(port.live()).toEqual([]);
    endCall(1);
    expect(port.live().map((r) => r.offer.call.callId)).toEqual(['b']);
  });

  it('caller hangs up while an agent is ringing: the ring is cancelled and the agent is free', async () => {
    const { d, port, call, board, changes } = setup({ agents: [{ userId: 1 }] });
    d.enqueue(call('a'));
    expect(d.hangup('a')).toBe(true);
    expect(port.cancels.map((o) => o.userId)).toEqual([1]);
    expect(board.isAvailable(1, 1)).toBe(true);
    expect(changes.at(-1)).toEqual({ callId: 'a', change: 'abandoned', position: null });
    // The port reports the cancelled ring later: nothing changes.
    port.rings[0]!.resolve('no_answer');
    await flush();
    expect(board.get(1)?.status).toBe('idle');
    d.enqueue(call('b'));
    expect(port.live().map((r) => r.offer.call.callId)).toEqual(['b']);
  });

  it('agent answers as the caller hangs up: the claim fails and the agent leg is dropped', async () => {
    const { d, port, call, board } = setup({ agents: [{ userId: 1 }] });
    d.enqueue(call('a'));
    const ring = port.rings[0]!;
    d.hangup('a');
    expect(ring.offer.claim()).toBe(false);
    ring.resolve('answered');
    await flush();
    expect(board.get(1)?.status).toBe('idle');
    expect(board.isAvailable(1, 1)).toBe(true);
    // A port resolving 'answered' without claiming also gets its leg cancelled.
    d.enqueue(call('b'));
    const ring2 = port.rings[1]!;
    d.hangup('b');
    const cancelsBefore = port.cancels.length;
    ring2.resolve('answered');
    await flush();
    expect(port.cancels.length).toBe(cancelsBefore + 1);
    expect(board.isAvailable(1, 1)).toBe(true);
  });

  it('caller hangs up just after the agent claimed: the call is the agent’s, hangup is a no-op', async () => {
    const { d, port, call, board } = setup({ agents: [{ userId: 1 }] });
    d.enqueue(call('a'));
    expect(port.rings[0]!.offer.claim()).toBe(true);
    expect(d.hangup('a')).toBe(false);
    expect(board.get(1)?.status).toBe('on_call');
  });

  it('answering after the ring timeout loses the claim', async () => {
    const { d, port, call, board } = setup({ agents: [{ userId: 1 }], config: { ringTimeoutS: 5 } });
    d.enqueue(call('a'));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(port.rings[0]!.offer.claim()).toBe(false);
    expect(board.get(1)?.status).toBe('idle');
    expect(d.waitingCount).toBe(1);
  });

  it('a failed offer never leaves the agent busy: rejected, thrown, or never settling', async () => {
    for (const mode of ['reject', 'throw', 'never'] as const) {
      const { d, port, call, board } = setup({ agents: [{ userId: 1 }], config: { ringTimeoutS: 5 } });
      port.mode = mode;
      d.enqueue(call('a'));
      await vi.advanceTimersByTimeAsync(mode === 'never' ? 5_000 : 0);
      expect(board.get(1)?.reservedFor, mode).toBeNull();
      expect(board.isAvailable(1, 1), mode).toBe(true);
      expect(d.waitingCount, mode).toBe(1);
      // And the call is tried again after the retry delay, not in a hot loop.
      const before = mode === 'throw' ? 0 : port.rings.length;
      await vi.advanceTimersByTimeAsync(1_999);
      if (mode !== 'throw') expect(port.rings.length, mode).toBe(before);
      d.dispose();
      board.dispose();
    }
  });

  it('a port whose cancel throws still frees the agent', async () => {
    const { d, port, call, board } = setup({ agents: [{ userId: 1 }] });
    port.cancel = () => {
      throw new Error('boom');
    };
    d.enqueue(call('a'));
    d.hangup('a');
    expect(board.isAvailable(1, 1)).toBe(true);
  });
});

describe('QueueDispatcher fairness', () => {
  for (const strategy of ['longest-idle', 'round-robin', 'fewest-calls', 'random'] as const) {
    it(`${strategy}: 300 calls over 3 agents with varied talk times are spread evenly`, async () => {
      let seed = 42;
      const rnd = () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      const { d, port, call, endCall } = setup({ strategy, random: rnd, config: { wrapupS: 0 } });
      const taken = new Map<number, number>();
      let next = 0;
      const pending = new Set<string>();
      for (let step = 0; step < 2000 && (next < 300 || pending.size > 0 || d.waitingCount > 0); step++) {
        if (next < 300 && d.waitingCount < 5) {
          const id = `c${next++}`;
          pending.add(id);
          d.enqueue(call(id));
        }
        for (const r of port.live()) {
          port.settle(r.offer.userId, 'answered');
          taken.set(r.offer.userId, (taken.get(r.offer.userId) ?? 0) + 1);
          pending.delete(r.offer.call.callId);
          const talk = 1_000 + Math.floor(rnd() * 120_000);
          const user = r.offer.userId;
          setTimeout(() => endCall(user), talk);
        }
        await vi.advanceTimersByTimeAsync(5_000);
      }
      await vi.advanceTimersByTimeAsync(200_000);
      const counts = [1, 2, 3].map((u) => taken.get(u) ?? 0);
      expect(counts.reduce((a, b) => a + b)).toBe(300);
      for (const c of counts)
        expect(c, `${strategy} ${counts}`).toBeGreaterThanOrEqual(strategy === 'random' ? 70 : 85);
    });
  }
});

describe('QueueDispatcher callback placeholders', () => {
  const placeholder = (id: number) => ({
    callId: `callback-${id}`,
    callerNumber: '+15550001',
    callback: { id },
  });
  const served: Array<{ callId: string; userId: number }> = [];
  const callbacks: CallbackPort = {
    serve: (call, _q, userId) => served.push({ callId: call.callId, userId }),
  };
  beforeEach(() => {
    served.length = 0;
  });

  it('a caller leaving for a callback keeps their place; the placeholder is served for one kept agent', async () => {
    const { d, board, port, changes, call } = setup({ callbacks, agents: [{ userId: 1 }, { userId: 2 }] });
    board.setPaused(1, null, 'Break');
    board.setPaused(2, null, 'Break');
    d.enqueue(call('a'));
    d.enqueue(call('b'));
    expect(d.replace('a', placeholder(7))).toBe(true);
    expect(d.snapshot().map((w) => w.call.callId)).toEqual(['callback-7', 'b']);
    expect(changes.slice(-2)).toEqual([
      { callId: 'a', change: 'callback', position: null },
      { callId: 'callback-7', change: 'joined', position: 1 },
    ]);
    board.setPaused(1, null, null);
    // The head is a placeholder: agent 1 is kept for it (not rung), the live caller waits.
    expect(served).toEqual([{ callId: 'callback-7', userId: 1 }]);
    expect(port.ringingUsers()).toEqual([]);
    expect(board.isAvailable(1, 1)).toBe(false);
    expect(d.snapshot()[0]!.ringing).toEqual([1]);
    // The customer called back takes its place: the kept agent is offered them, not 'b'.
    expect(d.replace('callback-7', call('c'))).toBe(true);
    expect(d.position('c')).toBe(1);
    await flush();
    expect(port.ringingUsers()).toEqual([1]);
    expect(port.live()[0]!.offer.call.callId).toBe('c');
  });

  it('a failed dial waits in place until its retry time; the last one drops it', async () => {
    const { d, board, changes } = setup({ callbacks, agents: [{ userId: 1 }] });
    board.setPaused(1, null, 'Break');
    d.enqueue(placeholder(3));
    board.setPaused(1, null, null);
    expect(served).toHaveLength(1);
    d.callbackServed('callback-3', { result: 'retry', notBefore: Date.now() + 5000 });
    // Agent free again, but the placeholder is not due yet.
    expect(board.isAvailable(1, 1)).toBe(true);
    expect(served).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(5000);
    expect(served).toHaveLength(2);
    d.callbackServed('callback-3', { result: 'dropped' });
    expect(d.waitingCount).toBe(0);
    expect(changes.at(-1)).toEqual({ callId: 'callback-3', change: 'dropped', position: null });
    expect(board.isAvailable(1, 1)).toBe(true);
  });

  it('a supervisor assigns a placeholder to an agent like a live caller', () => {
    const { d, board } = setup({ callbacks, agents: [{ userId: 1 }, { userId: 2 }] });
    board.setPaused(1, null, 'Break');
    board.setPaused(2, null, 'Break');
    d.enqueue(placeholder(4));
    expect(d.assign('callback-4', 1)).toBe('unavailable');
    board.setPaused(2, null, null);
    expect(served).toEqual([{ callId: 'callback-4', userId: 2 }]);
    expect(d.assign('callback-4', 2)).toBe('offered');
  });
});
