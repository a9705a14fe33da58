import type { CallLegStatus, FlowDefinition } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { component } from '../../test/flow-fixtures';
import type { CollectOptions, CollectResult } from '../switch/scripts/digit-buffer';
import type { BridgeEnd, EnqueueOptions, OriginateOptions } from '../switch/scripts/script-call';
import type { PlayEnd } from '../switch/scripts/script-leg';
import type { Prompt } from '../switch/scripts/spoken-values';
import {
  type FlowCall,
  type FlowCallBackRequest,
  type FlowEnqueueResult,
  type FlowLeg,
  type FlowRunInit,
  FlowRunner,
} from './flow-runner';
import { isOpen } from './opening-hours';

/**
 * A caller that answers each `ask` from a script of keys: a string is typed (empty: says nothing,
 * the collection times out), `hangup` leaves.
 */
class FakeLeg implements FlowLeg {
  connected = false;
  ended = false;
  heard: Prompt[][] = [];
  asked: CollectOptions[] = [];
  rejected: number | null = null;
  hungUp: string | null = null;
  constructor(
    private readonly answers: Array<string | 'hangup'> = [],
    readonly outcomeStatus: CallLegStatus = 'connected',
  ) {}
  async answer() {
    if (this.ended) return false;
    this.connected = true;
    return true;
  }
  reject(code = 486) {
    this.rejected = code;
    this.ended = true;
  }
  async play(prompts: Prompt[]): Promise<PlayEnd> {
    if (!this.connected) return 'hangup';
    this.heard.push(prompts);
    return 'finished';
  }
  async ask(prompts: Prompt[], opts: CollectOptions): Promise<CollectResult> {
    this.heard.push(prompts);
    this.asked.push(opts);
    const next = this.answers.shift();
    if (next === undefined || next === 'hangup') {
      this.connected = false;
      this.ended = true;
      return { digits: '', end: 'hangup' };
    }
    return { digits: next, end: next ? 'max_digits' : 'timeout' };
  }
  ringback() {
    return () => {};
  }
  async hangup(cause = 'normal_clearing') {
    this.hungUp = cause;
    this.connected = false;
    this.ended = true;
  }
  async outcome() {
    if (this.outcomeStatus === 'connected') this.connected = true;
    return this.outcomeStatus;
  }
}

class FakeCall implements FlowCall {
  originated: OriginateOptions[] = [];
  enqueued: Array<{ queueId: number; priority?: string }> = [];
  leaveAsked: Array<EnqueueOptions['leave']> = [];
  bridged = 0;
  constructor(
    private readonly legs: FakeLeg[] = [],
    private readonly queueResult: FlowEnqueueResult = 'queued',
  ) {}
  originate(o: OriginateOptions) {
    this.originated.push(o);
    return this.legs.shift() ?? new FakeLeg([], 'no_answer');
  }
  async bridge(): Promise<BridgeEnd> {
    this.bridged += 1;
    return { endedBy: 'b', reason: 'hangup', durationMs: 1000 };
  }
  async enqueue(_leg: FlowLeg, queueId: number, options?: EnqueueOptions) {
    this.enqueued.push({ queueId, priority: options?.priority });
    this.leaveAsked.push(options?.leave);
    return this.queueResult;
  }
}

/**
 * The call-back engine as the runner sees it: records what it is asked for and says yes (or the
 * refusal given). The engine itself is tested with sipp in the call-flow system tests.
 */
class FakeCallBacks {
  asked: FlowCallBackRequest[] = [];
  handedOver: Array<{ serviceId: number; leg: FlowLeg }> = [];
  constructor(private readonly refusal: string | null = null) {}
  callBack = async (r: FlowCallBackRequest) => {
    this.asked.push(r);
    return this.refusal ? { ok: false as const, reason: this.refusal } : { ok: true as const, requestId: 41 };
  };
  handOver = async (serviceId: number, leg: FlowLeg) => {
    this.handedOver.push({ serviceId, leg });
  };
}

function run(
  definition: FlowDefinition,
  caller: FakeLeg,
  call = new FakeCall(),
  init: { now?: number; callerNumber?: string | null } & Partial<
    Pick<FlowRunInit, 'callBack' | 'handOver' | 'resume' | 'sounds' | 'callerVia'>
  > = {},
) {
  const steps: string[] = [];
  const runner = new FlowRunner(call, caller, {
    ...init,
    definition,
    callerNumber: init.callerNumber === undefined ? '+12025550100' : init.callerNumber,
    calledNumber: '5550102',
    now: () => init.now ?? Date.UTC(2026, 0, 5, 10, 0),
    onStep: (s) => steps.push(`${s.componentId}${s.exit ? `:${s.exit}` : ''}`),
  });
  return { runner, call, steps, end: runner.run() };
}

const hangupAt = (id: string) => component(id, 'hangup', {});
const playOf = (id: string, prompt: string, next: string) =>
  component(id, 'play', { prompts: [{ prompt }] }, { next });
const menu = (exits: Record<string, string>, attempts = 2) =>
  component(
    'menu',
    'menu',
    {
      prompts: [{ prompt: 'welcome' }],
      choices: ['1', '2'],
      timeoutS: 4,
      attempts,
      retryPrompts: [{ prompt: 'please-try-again' }],
    },
    exits,
  );
const menuExits = { 'key:1': 'one', 'key:2': 'two', timeout: 'timeout', invalid: 'invalid' };
const ends = ['one', 'two', 'timeout', 'invalid'].map((id) =>
  playOf(id, id === 'one' ? 'digit-1' : 'goodbye', 'end'),
);

describe('FlowRunner', () => {
  it('plays, then takes the menu exit of the key pressed (after answering the caller)', async () => {
    const caller = new FakeLeg(['2']);
    const { end, steps } = run(
      { start: 'menu', components: [menu(menuExits), ...ends, hangupAt('end')] },
      caller,
    );
    expect(await end).toEqual({ how: 'hangup', componentId: 'end' });
    expect(steps).toEqual(['menu:key:2', 'two:next', 'end']);
    expect(caller.asked[0]).toEqual({ maxDigits: 1, firstDigitTimeoutMs: 4000 });
    expect(caller.heard).toEqual([['welcome'], ['goodbye']]);
    expect(caller.hungUp).toBe('normal_clearing');
  });

  it('retries a menu after no key, then a wrong key, and leaves by the exit of the last failure', async () => {
    const timeoutThenWrong = new FakeLeg(['', '9']);
    const first = run(
      { start: 'menu', components: [menu(menuExits), ...ends, hangupAt('end')] },
      timeoutThenWrong,
    );
    await first.end;
    expect(first.steps[0]).toBe('menu:invalid');
    expect(timeoutThenWrong.heard.slice(0, 3)).toEqual([['welcome'], ['please-try-again'], ['welcome']]);
    const silent = new FakeLeg(['9', '']);
    const second = run({ start: 'menu', components: [menu(menuExits), ...ends, hangupAt('end')] }, silent);
    await second.end;
    expect(second.steps[0]).toBe('menu:timeout');
    // One attempt: no retry prompt.
    const once = new FakeLeg(['']);
    const third = run({ start: 'menu', components: [menu(menuExits, 1), ...ends, hangupAt('end')] }, once);
    await third.end;
    expect(third.steps[0]).toBe('menu:timeout');
    expect(once.heard[1]).toEqual(['goodbye']);
  });

  it('ends when the caller hangs up in a menu, without taking any exit', async () => {
    const caller = new FakeLeg(['hangup']);
    const { end, steps } = run(
      { start: 'menu', components: [menu(menuExits), ...ends, hangupAt('end')] },
      caller,
    );
    expect(await end).toEqual({ how: 'caller_left', componentId: 'menu' });
    expect(steps).toEqual(['menu']);
  });

  it('collects digits into a variable, says them back, and takes timeout when nothing is typed', async () => {
    const flow: FlowDefinition = {
      start: 'ask',
      components: [
        component(
          'ask',
          'collect',
          {
            prompts: [{ prompt: 'enter-pin' }],
            variable: 'pin',
            maxDigits: 6,
            terminator: '#',
            firstDigitTimeoutS: 7,
            interDigitTimeoutS: 3,
          },
          { next: 'say', timeout: 'end' },
        ),
        component(
          'say',
          'play',
          { prompts: [{ prompt: 'you-have' }, { sayDigitsOf: 'pin' }] },
          { next: 'end' },
        ),
        hangupAt('end'),
      ],
    };
    const typed = new FakeLeg(['4711']);
    const a = run(flow, typed);
    await a.end;
    expect(a.runner.variables.get('pin')).toBe('4711');
    expect(typed.asked[0]).toEqual({
      maxDigits: 6,
      terminator: '#',
      firstDigitTimeoutMs: 7000,
      interDigitTimeoutMs: 3000,
    });
    expect(typed.heard[1]).toEqual(['you-have', { digits: '4711' }]);
    const silent = new FakeLeg(['']);
    const b = run(flow, silent);
    await b.end;
    expect(b.steps).toEqual(['ask:timeout', 'end']);
    expect(b.runner.variables.has('pin')).toBe(false);
  });

  it('a time condition is open inside the weekly hours of its time zone and closed outside and on holidays', async () => {
    const hours = {
      timeZone: 'America/New_York',
      hours: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '17:00' }],
      holidays: ['2026-12-25'],
    };
    // Monday 5 January 2026: 09:00 in New York is 14:00 UTC.
    expect(isOpen(hours, Date.UTC(2026, 0, 5, 13, 59))).toBe(false);
    expect(isOpen(hours, Date.UTC(2026, 0, 5, 14, 0))).toBe(true);
    expect(isOpen(hours, Date.UTC(2026, 0, 5, 21, 59))).toBe(true);
    expect(isOpen(hours, Date.UTC(2026, 0, 5, 22, 0))).toBe(false);
    // Saturday, and Christmas (a Friday).
    expect(isOpen(hours, Date.UTC(2026, 0, 10, 15, 0))).toBe(false);
    expect(isOpen(hours, Date.UTC(2026, 11, 25, 15, 0))).toBe(false);
    expect(isOpen(hours, Date.UTC(2026, 11, 24, 15, 0))).toBe(true);
    const flow: FlowDefinition = {
      start: 'hours',
      components: [
        component('hours', 'time_condition', hours, { open: 'end', closed: 'closed' }),
        playOf('closed', 'goodbye', 'end'),
        hangupAt('end'),
      ],
    };
    const open = run(flow, new FakeLeg(), new FakeCall(), { now: Date.UTC(2026, 0, 5, 14, 0) });
    await open.end;
    expect(open.steps).toEqual(['hours:open', 'end']);
    const closed = run(flow, new FakeLeg(), new FakeCall(), { now: Date.UTC(2026, 0, 5, 13, 59) });
    await closed.end;
    expect(closed.steps).toEqual(['hours:closed', 'closed:next', 'end']);
  });

  it('hands the caller to a queue, or takes the full exit when the queue turns it away', async () => {
    const flow: FlowDefinition = {
      start: 'q',
      components: [
        component('q', 'queue', { queueId: 7, priority: 'high' }, { full: 'sorry' }),
        playOf('sorry', 'all-agents-busy', 'end'),
        hangupAt('end'),
      ],
    };
    const queued = run(flow, new FakeLeg());
    expect(await queued.end).toEqual({ how: 'queued', queueId: 7, componentId: 'q' });
    expect(queued.call.enqueued).toEqual([{ queueId: 7, priority: 'high' }]);
    const caller = new FakeLeg();
    const full = run(flow, caller, new FakeCall([], 'full'));
    expect(await full.end).toEqual({ how: 'hangup', componentId: 'end' });
    expect(full.steps).toEqual(['q:full', 'sorry:next', 'end']);
    expect(caller.heard).toEqual([['all-agents-busy']]);
  });

  it("asks the queue for the wired exits and the component's max wait, and goes on with the leg it gives back", async () => {
    const flow: FlowDefinition = {
      start: 'q',
      components: [
        component('q', 'queue', { queueId: 7, maxWaitS: 2 }, { full: 'end', max_wait: 'late' }),
        playOf('late', 'all-agents-busy', 'end'),
        hangupAt('end'),
      ],
    };
    const back = new FakeLeg();
    back.connected = true;
    const left = run(flow, new FakeLeg(), new FakeCall([], { left: 'max_wait', leg: back }));
    expect(await left.end).toEqual({ how: 'hangup', componentId: 'end' });
    expect(left.call.leaveAsked).toEqual([{ full: true, maxWait: true, maxWaitS: 2 }]);
    expect(left.steps).toEqual(['q:max_wait', 'late:next', 'end']);
    expect(back.heard).toEqual([['all-agents-busy']]);
    expect(back.hungUp).toBe('normal_clearing');
  });

  it('rings an extension and bridges, or leaves by no answer; an outside number uses the caller ID set before', async () => {
    const flow: FlowDefinition = {
      start: 'cid',
      components: [
        component('cid', 'set_caller_id', { number: '+18005550100' }, { next: 'ext' }),
        component('ext', 'extension', { extension: '1004', ringTimeoutS: 20 }, { no_answer: 'out' }),
        component('out', 'outside_number', { number: '+442071234567', ringTimeoutS: 30 }, { failed: 'end' }),
        hangupAt('end'),
      ],
    };
    const answered = run(flow, new FakeLeg(), new FakeCall([new FakeLeg()]));
    expect(await answered.end).toEqual({ how: 'bridged', componentId: 'ext' });
    expect(answered.call.originated[0]).toMatchObject({
      to: '1004',
      via: { extension: '1004' },
      ringTimeoutMs: 20_000,
    });
    expect(answered.call.bridged).toBe(1);
    const nobody = run(
      flow,
      new FakeLeg(),
      new FakeCall([new FakeLeg([], 'no_answer'), new FakeLeg([], 'busy')]),
    );
    expect(await nobody.end).toEqual({ how: 'hangup', componentId: 'end' });
    expect(nobody.steps).toEqual(['cid:next', 'ext:no_answer', 'out:failed', 'end']);
    expect(nobody.call.originated[1]).toMatchObject({
      to: '+442071234567',
      via: { trunk: 'any' },
      callerId: { number: '+18005550100' },
    });
  });

  it('sets variables from templates and branches on them and on the caller number', async () => {
    const flow: FlowDefinition = {
      start: 'set',
      components: [
        component('set', 'set_variable', { variable: 'who', value: 'vip-{caller}' }, { next: 'isvip' }),
        component(
          'isvip',
          'condition',
          { subject: { variable: 'who' }, operator: 'starts_with', value: 'vip-+1202' },
          { match: 'local', else: 'end' },
        ),
        component(
          'local',
          'condition',
          { subject: 'caller', operator: 'equals', value: '+12025550100' },
          { match: 'empty', else: 'end' },
        ),
        component(
          'empty',
          'condition',
          { subject: { variable: 'nothing' }, operator: 'is_empty' },
          { match: 'end', else: 'end' },
        ),
        hangupAt('end'),
      ],
    };
    const caller = new FakeLeg();
    const { end, steps, runner } = run(flow, caller);
    await end;
    expect(runner.variables.get('who')).toBe('vip-+12025550100');
    expect(steps).toEqual(['set:next', 'isvip:match', 'local:match', 'empty:match', 'end']);
    // Never answered: the hang-up refuses the caller instead of answering first.
    expect(caller.rejected).toBe(480);
    const other = run(flow, new FakeLeg(), new FakeCall(), { callerNumber: '+33140000000' });
    await other.end;
    expect(other.steps).toEqual(['set:next', 'isvip:else', 'end']);
  });

  it('Callback: releases the caller, asks the engine for the call back, and the call back goes on at the next component with its leg', async () => {
    const flow: FlowDefinition = {
      start: 'cb',
      components: [
        component(
          'cb',
          'callback',
          { method: 'caller', delayS: 5, timeoutS: 4, callerId: '+18005550199' },
          { next: 'pin' },
        ),
        component(
          'pin',
          'collect',
          {
            prompts: [{ prompt: 'enter-pin' }],
            variable: 'pin',
            maxDigits: 4,
            firstDigitTimeoutS: 10,
            interDigitTimeoutS: 9,
          },
          { next: 'end', timeout: 'end' },
        ),
        hangupAt('end'),
      ],
    };
    const engine = new FakeCallBacks();
    const caller = new FakeLeg();
    const first = run(flow, caller, new FakeCall(), { callBack: engine.callBack });
    expect(await first.end).toEqual({ how: 'called_back', componentId: 'cb', requestId: 41 });
    // Never answered: refused as busy, so the first call costs the caller nothing.
    expect(caller.rejected).toBe(486);
    expect(first.steps).toEqual(['cb']);
    const asked = engine.asked[0]!;
    expect(asked).toMatchObject({
      to: '+12025550100',
      via: { trunk: 'any' },
      callerId: '+18005550199',
      settings: { delayS: 5, ringTimeoutS: 30 },
      resume: { componentId: 'cb', interDigitTimeoutMs: 4000 },
    });
    expect(asked.resume.variables.get('caller')).toBe('+12025550100');

    // The call back, answered: the flow goes on after the Callback, on the new leg.
    const back = new FakeLeg(['12']);
    const second = run(flow, back, new FakeCall(), { resume: asked.resume });
    expect(await second.end).toEqual({ how: 'hangup', componentId: 'end' });
    expect(second.steps).toEqual(['cb:next', 'pin:next', 'end']);
    expect(second.runner.current).toBe(back);
    expect(second.runner.variables.get('pin')).toBe('12');
    // The Callback's digit timeout governs the digits typed on the call back.
    expect(back.asked[0]!.interDigitTimeoutMs).toBe(4000);
    expect(back.hungUp).toBe('normal_clearing');

    // An answered caller is hung up; a call back the engine refuses ends the flow with its reason.
    const answered = new FakeLeg(['1']);
    const refused = run(
      {
        start: 'm',
        components: [
          component(
            'm',
            'menu',
            { prompts: [{ prompt: 'welcome' }], choices: ['1'], timeoutS: 3, attempts: 1 },
            { 'key:1': 'cb', timeout: 'end', invalid: 'end' },
          ),
          ...flow.components,
        ],
      },
      answered,
      new FakeCall(),
      { callBack: new FakeCallBacks('hidden_caller_id').callBack, callerNumber: null },
    );
    expect(await refused.end).toEqual({
      how: 'callback_failed',
      componentId: 'cb',
      outcome: 'hidden_caller_id',
    });
    expect(answered.hungUp).toBe('callback');
  });

  it('Callback to an extension or a fixed number asks for that instead of the caller', async () => {
    const flow = (settings: Record<string, unknown>): FlowDefinition => ({
      start: 'cb',
      components: [
        component('cb', 'callback', { delayS: 0, timeoutS: 5, ...settings }, { next: 'end' }),
        hangupAt('end'),
      ],
    });
    const engine = new FakeCallBacks();
    await run(flow({ method: 'extension', extension: '1004' }), new FakeLeg(), new FakeCall(), {
      callBack: engine.callBack,
    }).end;
    expect(engine.asked[0]).toMatchObject({ to: '1004', via: { extension: '1004' } });
    await run(
      flow({ method: 'number', number: '+442071234567', trunkId: 3 }),
      new FakeLeg(),
      new FakeCall(),
      {
        callBack: engine.callBack,
      },
    ).end;
    expect(engine.asked[1]).toMatchObject({ to: '+442071234567', via: { trunk: 3 } });
    // A test call's caller is an extension: calling the caller back rings it.
    await run(flow({ method: 'caller' }), new FakeLeg(), new FakeCall(), {
      callBack: engine.callBack,
      callerVia: { extension: '1001' },
    }).end;
    expect(engine.asked[2]).toMatchObject({ to: '1001', via: { extension: '1001' } });
  });

  it('Callback service hands the caller to the service and ends the flow there', async () => {
    const engine = new FakeCallBacks();
    const caller = new FakeLeg(['1']);
    const { end, steps } = run(
      {
        start: 'm',
        components: [
          component(
            'm',
            'menu',
            { prompts: [{ prompt: 'welcome' }], choices: ['1'], timeoutS: 3, attempts: 1 },
            { 'key:1': 'svc', timeout: 'end', invalid: 'end' },
          ),
          component('svc', 'callback_service', { serviceId: 3 }),
          hangupAt('end'),
        ],
      },
      caller,
      new FakeCall(),
      { handOver: engine.handOver },
    );
    expect(await end).toEqual({ how: 'handed_over', componentId: 'svc', serviceId: 3 });
    expect(steps).toEqual(['m:key:1', 'svc']);
    expect(engine.handedOver).toEqual([{ serviceId: 3, leg: caller }]);
  });

  it('plays uploaded sounds by their file, and skips one whose file is gone', async () => {
    const caller = new FakeLeg();
    const { end } = run(
      {
        start: 'p',
        components: [
          component(
            'p',
            'play',
            { prompts: [{ sound: 4 }, { prompt: 'welcome' }, { sound: 5 }] },
            { next: 'end' },
          ),
          hangupAt('end'),
        ],
      },
      caller,
      new FakeCall(),
      { sounds: new Map([[4, '/sounds/greeting.wav']]) },
    );
    await end;
    expect(caller.heard).toEqual([['/sounds/greeting.wav', 'welcome']]);
  });

  it('stops a loop that never waits after a bounded number of steps, and ends on an exit leading nowhere', async () => {
    const looping: FlowDefinition = {
      start: 'a',
      components: [
        component('a', 'set_variable', { variable: 'x', value: '1' }, { next: 'b' }),
        component('b', 'set_variable', { variable: 'y', value: '2' }, { next: 'a' }),
      ],
    };
    expect((await run(looping, new FakeLeg()).end).how).toBe('step_limit');
    const dangling: FlowDefinition = {
      start: 'p',
      components: [component('p', 'play', { prompts: [{ prompt: 'welcome' }] }, { next: null })],
    };
    const caller = new FakeLeg();
    expect(await run(dangling, caller).end).toEqual({ how: 'hangup', componentId: 'p' });
    expect(caller.hungUp).toBe('normal_clearing');
  });
});
