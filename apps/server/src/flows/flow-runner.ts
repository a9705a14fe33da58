import type { CallLegStatus } from '@switchboard/shared';
import {
  type FlowComponent,
  type FlowDefinition,
  type FlowPrompt,
  type FlowSettingsOf,
  flowComponentSettingsSchemas,
} from '@switchboard/shared';
import type { Logger } from '../observability/logger';
import type { CollectOptions, CollectResult } from '../switch/scripts/digit-buffer';
import type {
  BridgeEnd,
  EnqueueOptions,
  EnqueueResult,
  OriginateOptions,
} from '../switch/scripts/script-call';
import type { PlayEnd } from '../switch/scripts/script-leg';
import type { Prompt } from '../switch/scripts/spoken-values';
import { isOpen } from './opening-hours';

/** What the runner needs of a call leg (a `ScriptLeg`; a fake in the runner's unit tests). */
export interface FlowLeg {
  readonly connected: boolean;
  readonly ended: boolean;
  answer(): Promise<boolean>;
  reject(code?: number, reason?: string): void;
  play(prompts: Prompt[], opts?: { bargeIn?: boolean }): Promise<PlayEnd>;
  ask(prompts: Prompt[], opts: CollectOptions): Promise<CollectResult>;
  ringback(): () => void;
  hangup(cause?: string): Promise<void>;
  outcome(): Promise<CallLegStatus>;
}

/** What the runner needs of the call (a `ScriptCall`). */
export interface FlowCall {
  originate(o: OriginateOptions): FlowLeg;
  bridge(a: FlowLeg, b: FlowLeg): Promise<BridgeEnd>;
  enqueue(leg: FlowLeg, queueId: number, options?: EnqueueOptions): Promise<FlowEnqueueResult>;
}

/** `left`: the queue gave the caller back by a flow exit, on a new leg the flow goes on with. */
export type FlowEnqueueResult =
  | Exclude<EnqueueResult, { left: unknown }>
  | { left: 'max_wait' | 'no_agents'; leg: FlowLeg };

/** Where a flow goes on once the caller is called back: its state when the caller was released. */
export interface FlowResume {
  /** The Callback component, whose `next` exit the call now takes. */
  componentId: string;
  variables: ReadonlyMap<string, string>;
  callerId: { number: string; name?: string | null } | null;
  interDigitTimeoutMs: number;
}

/** What a Callback component asks of the call-back engine (the caller is released already). */
export interface FlowCallBackRequest {
  settings: FlowSettingsOf<'callback'>;
  /** Whom to ring: a number (through a trunk) or an extension. */
  to: string | null;
  via: { trunk: number | 'any' } | { extension: string };
  callerId: string | null;
  resume: FlowResume;
}

/** How a run ended, for logs and tests. */
export type FlowEnd =
  | { how: 'queued'; queueId: number; componentId: string }
  | { how: 'bridged'; componentId: string }
  | { how: 'hangup'; componentId: string | null }
  | { how: 'caller_left'; componentId: string }
  | { how: 'callback_failed'; componentId: string; outcome: string }
  /** The caller was released; the call back (its own call) goes on at the next component. */
  | { how: 'called_back'; componentId: string; requestId: number }
  | { how: 'handed_over'; componentId: string; serviceId: number }
  | { how: 'step_limit'; componentId: string };

export interface FlowRunInit {
  definition: FlowDefinition;
  callerNumber: string | null;
  calledNumber: string | null;
  /** The clock time conditions read. */
  now: () => number;
  /** How to reach the caller again when it is not a number (a test call from an extension). */
  callerVia?: { extension: string };
  logger?: Logger;
  /** Uploaded sounds' files by id (read when the call starts); a missing one is skipped. */
  sounds?: ReadonlyMap<number, string>;
  /** The call-back engine: schedules the call back, or says why it will not happen. */
  callBack?: (
    r: FlowCallBackRequest,
  ) => Promise<{ ok: true; requestId: number } | { ok: false; reason: string }>;
  /** Hands the caller to a callback service (the service's trigger and call back take over). */
  handOver?: (serviceId: number, leg: FlowLeg) => Promise<void>;
  /** A called-back call: the flow's state at the Callback component, where it goes on. */
  resume?: FlowResume;
  /** Sees each component the call enters (a live view). */
  onEnter?: (componentId: string) => void;
  /** Sees the exit each component is left by (null: the flow ended there) (a live view, tests). */
  onStep?: (step: { componentId: string; exit: string | null }) => void;
}

/** Past this many components in one call, something loops without waiting: the call ends. */
const MAX_STEPS = 2000;

/**
 * Runs one call through a published flow version: component after component along the exits, with
 * the call's variables. The definition is the version the call started on, kept for its whole
 * life, so publishing a new version never changes a call in progress.
 */
export class FlowRunner {
  readonly variables = new Map<string, string>();
  private callerId: { number: string; name?: string | null } | null = null;
  /** Digit timeout on a called-back leg (the Callback component's setting). */
  private interDigitTimeoutMs: number | null = null;
  private readonly byId: Map<string, FlowComponent>;

  constructor(
    private readonly call: FlowCall,
    private leg: FlowLeg,
    private readonly init: FlowRunInit,
  ) {
    this.byId = new Map(init.definition.components.map((c) => [c.id, c]));
    if (init.callerNumber) this.variables.set('caller', init.callerNumber);
    if (init.calledNumber) this.variables.set('called', init.calledNumber);
    if (init.resume) {
      for (const [k, v] of init.resume.variables) this.variables.set(k, v);
      this.callerId = init.resume.callerId;
      this.interDigitTimeoutMs = init.resume.interDigitTimeoutMs;
    }
  }

  /** The leg the flow talks to now (the caller, or the called-back leg after a Callback). */
  get current(): FlowLeg {
    return this.leg;
  }

  async run(): Promise<FlowEnd> {
    let id = this.init.definition.start;
    let steps = 0;
    let last: string | null = null;
    const resumed = this.init.resume && this.byId.get(this.init.resume.componentId);
    if (resumed) {
      // The Callback component is left by `next` only now that the call back is answered.
      this.init.onStep?.({ componentId: resumed.id, exit: 'next' });
      id = resumed.exits.next ?? null;
      last = resumed.id;
    }
    while (id) {
      const component = this.byId.get(id);
      if (!component) break;
      last = component.id;
      if (++steps > MAX_STEPS) return { how: 'step_limit', componentId: component.id };
      this.init.onEnter?.(component.id);
      const result = await this.step(component);
      if (typeof result !== 'string') {
        this.init.onStep?.({ componentId: component.id, exit: null });
        return result;
      }
      this.init.onStep?.({ componentId: component.id, exit: result });
      id = component.exits[result] ?? null;
    }
    // An exit leading nowhere (validation refuses to publish one): the call ends politely.
    await this.release();
    return { how: 'hangup', componentId: last };
  }

  private settings<T extends FlowComponent['type']>(c: FlowComponent & { type: T }): FlowSettingsOf<T> {
    return flowComponentSettingsSchemas[c.type].parse(c.settings) as FlowSettingsOf<T>;
  }

  private prompts(list: FlowPrompt[]): Prompt[] {
    const out: Prompt[] = [];
    for (const p of list) {
      if ('prompt' in p) out.push(p.prompt);
      else if ('sound' in p) {
        const file = this.init.sounds?.get(p.sound);
        if (file) out.push(file);
      } else {
        const digits = (this.variables.get(p.sayDigitsOf) ?? '').replace(/[^0-9]/g, '');
        if (digits) out.push({ digits });
      }
    }
    return out;
  }

  /** Answers the caller when a component first needs to talk to them. */
  private async answered(): Promise<boolean> {
    if (this.leg.connected) return true;
    if (this.leg.ended) return false;
    return this.leg.answer();
  }

  private async release(): Promise<void> {
    if (this.leg.connected) await this.leg.hangup('normal_clearing');
    else if (!this.leg.ended) this.leg.reject(480, 'Temporarily Unavailable');
  }

  private left(c: FlowComponent): FlowEnd {
    return { how: 'caller_left', componentId: c.id };
  }

  private template(value: string): string {
    return value.replace(
      /\{([a-zA-Z_][a-zA-Z0-9_]*)\}/g,
      (_, name: string) => this.variables.get(name) ?? '',
    );
  }

  /** A menu: the caller presses one of the choices, with retries; `timeout` or `invalid` when none is taken. */
  private async runMenu(c: FlowComponent): Promise<string | FlowEnd> {
    const s = this.settings(c as FlowComponent & { type: 'menu' });
    if (!(await this.answered())) return this.left(c);
    let failure: 'timeout' | 'invalid' = 'timeout';
    for (let attempt = 1; attempt <= s.attempts; attempt++) {
      const r = await this.leg.ask(this.prompts(s.prompts), {
        maxDigits: 1,
        firstDigitTimeoutMs: s.timeoutS * 1000,
      });
      if (r.end === 'hangup') return this.left(c);
      if (r.digits && (s.choices as string[]).includes(r.digits)) return `key:${r.digits}`;
      failure = r.digits ? 'invalid' : 'timeout';
      if (attempt < s.attempts && s.retryPrompts.length > 0)
        if ((await this.leg.play(this.prompts(s.retryPrompts))) === 'hangup') return this.left(c);
    }
    return failure;
  }

  /** Collects digits into a flow variable; `timeout` when the caller types none. */
  private async runCollect(c: FlowComponent): Promise<string | FlowEnd> {
    const s = this.settings(c as FlowComponent & { type: 'collect' });
    if (!(await this.answered())) return this.left(c);
    const r = await this.leg.ask(this.prompts(s.prompts), {
      maxDigits: s.maxDigits,
      terminator: s.terminator ?? undefined,
      firstDigitTimeoutMs: s.firstDigitTimeoutS * 1000,
      interDigitTimeoutMs: this.interDigitTimeoutMs ?? s.interDigitTimeoutS * 1000,
    });
    if (r.end === 'hangup') return this.left(c);
    if (!r.digits) return 'timeout';
    this.variables.set(s.variable, r.digits);
    return 'next';
  }

  /** Puts the caller in a queue; the wired exits (full, max wait, no agents) say when the caller leaves it. */
  private async runQueue(c: FlowComponent): Promise<string | FlowEnd> {
    const s = this.settings(c as FlowComponent & { type: 'queue' });
    if (!(await this.answered())) return this.left(c);
    const wired = (exit: string) => Boolean(c.exits[exit]);
    const leave = {
      ...(wired('full') ? { full: true } : {}),
      ...(wired('max_wait') ? { maxWait: true } : {}),
      ...(wired('no_agents') ? { noAgents: true } : {}),
      ...(s.maxWaitS !== null ? { maxWaitS: s.maxWaitS } : {}),
    };
    const result = await this.call.enqueue(this.leg, s.queueId, {
      priority: s.priority,
      ...(Object.keys(leave).length > 0 ? { leave } : {}),
    });
    if (result === 'queued') return { how: 'queued', queueId: s.queueId, componentId: c.id };
    if (result === 'not_connected') return this.left(c);
    if (result === 'no_agents') return 'no_agents';
    if (typeof result !== 'string') {
      // Back from the queue: the flow goes on with the caller's leg.
      this.leg = result.leg;
      return result.left;
    }
    return 'full';
  }

  private async step(c: FlowComponent): Promise<string | FlowEnd> {
    switch (c.type) {
      case 'play': {
        const s = this.settings(c as FlowComponent & { type: 'play' });
        if (!(await this.answered())) return this.left(c);
        if ((await this.leg.play(this.prompts(s.prompts))) === 'hangup') return this.left(c);
        return 'next';
      }
      case 'menu':
        return this.runMenu(c);
      case 'collect':
        return this.runCollect(c);
      case 'time_condition': {
        const s = this.settings(c as FlowComponent & { type: 'time_condition' });
        return isOpen(s, this.init.now()) ? 'open' : 'closed';
      }
      case 'queue':
        return this.runQueue(c);
      case 'extension': {
        const s = this.settings(c as FlowComponent & { type: 'extension' });
        return this.connectTo(
          c,
          {
            to: s.extension,
            via: { extension: s.extension },
            ringTimeoutMs: s.ringTimeoutS * 1000,
            role: 'agent',
          },
          'no_answer',
        );
      }
      case 'outside_number': {
        const s = this.settings(c as FlowComponent & { type: 'outside_number' });
        return this.connectTo(
          c,
          {
            to: s.number,
            via: { trunk: s.trunkId ?? 'any' },
            ringTimeoutMs: s.ringTimeoutS * 1000,
            role: 'destination',
            ...(this.callerId ? { callerId: this.callerId } : {}),
          },
          'failed',
        );
      }
      case 'hangup': {
        await this.release();
        return { how: 'hangup', componentId: c.id };
      }
      case 'set_variable': {
        const s = this.settings(c as FlowComponent & { type: 'set_variable' });
        this.variables.set(s.variable, this.template(s.value));
        return 'next';
      }
      case 'set_caller_id': {
        const s = this.settings(c as FlowComponent & { type: 'set_caller_id' });
        this.callerId = { number: s.number, name: s.name };
        return 'next';
      }
      case 'condition': {
        const s = this.settings(c as FlowComponent & { type: 'condition' });
        const subject =
          s.subject === 'caller'
            ? (this.init.callerNumber ?? '')
            : (this.variables.get(s.subject.variable) ?? '');
        const match =
          s.operator === 'equals'
            ? subject === s.value
            : s.operator === 'starts_with'
              ? subject.startsWith(s.value)
              : subject === '';
        return match ? 'match' : 'else';
      }
      case 'callback':
        return this.callback(c, this.settings(c as FlowComponent & { type: 'callback' }));
      case 'callback_service': {
        const s = this.settings(c as FlowComponent & { type: 'callback_service' });
        if (!this.init.handOver) {
          await this.release();
          return { how: 'callback_failed', componentId: c.id, outcome: 'no_callback_engine' };
        }
        await this.init.handOver(s.serviceId, this.leg);
        return { how: 'handed_over', componentId: c.id, serviceId: s.serviceId };
      }
    }
  }

  /** Rings a destination with ringback to the caller; bridged until one side hangs up. */
  private async connectTo(
    c: FlowComponent,
    o: OriginateOptions,
    failExit: string,
  ): Promise<string | FlowEnd> {
    if (!(await this.answered())) return this.left(c);
    const b = this.call.originate(o);
    const stopRingback = this.leg.ringback();
    const outcome = await b.outcome();
    stopRingback();
    if (this.leg.ended) {
      await b.hangup('caller_left');
      return this.left(c);
    }
    if (outcome !== 'connected') return failExit;
    await this.call.bridge(this.leg, b);
    await b.hangup();
    await this.release();
    return { how: 'bridged', componentId: c.id };
  }

  /**
   * The caller is released (refused as busy before an answer, so the call costs them nothing; hung
   * up after one) and the call-back engine calls back after the delay; the flow goes on there with
   * the called-back leg (`resume`), in the call back's own call.
   */
  private async callback(c: FlowComponent, s: FlowSettingsOf<'callback'>): Promise<string | FlowEnd> {
    const extension =
      s.method === 'extension' ? s.extension : s.method === 'caller' ? this.init.callerVia?.extension : null;
    const to = extension ?? (s.method === 'number' ? s.number : this.init.callerNumber);
    if (this.leg.connected) await this.leg.hangup('callback');
    else this.leg.reject(486, 'Busy Here');
    if (!this.init.callBack)
      return { how: 'callback_failed', componentId: c.id, outcome: 'no_callback_engine' };
    const callerId =
      s.callerId ??
      this.callerId?.number ??
      (this.init.calledNumber?.startsWith('+') ? this.init.calledNumber : null);
    const scheduled = await this.init.callBack({
      settings: s,
      to,
      via: extension ? { extension } : { trunk: s.trunkId ?? 'any' },
      callerId,
      resume: {
        componentId: c.id,
        variables: new Map(this.variables),
        callerId: this.callerId,
        interDigitTimeoutMs: s.timeoutS * 1000,
      },
    });
    if (!scheduled.ok) return { how: 'callback_failed', componentId: c.id, outcome: scheduled.reason };
    return { how: 'called_back', componentId: c.id, requestId: scheduled.requestId };
  }
}
