import type { IncomingRequest } from '@switchboard/sip';
import { ScriptCall, type ScriptCallInit, type ScriptContext } from './script-call';
import type { ScriptLeg } from './script-leg';

/** A script run for a call an inbound route hands over (an access number, a call flow). */
export type InboundScript = (
  call: ScriptCall,
  caller: ScriptLeg,
  target: { type: string; id: string },
) => Promise<void>;

/** The body of a call the server places: it gets the call and steers it; the call ends when it returns. */
export type Script = (call: ScriptCall) => Promise<void>;

/**
 * The switch's call scripts: starts calls the server places or steers, runs inbound routes'
 * scripts, and keeps the active ones (for the API, the live stream and shutdown). See
 * docs/call-scripts.md for the API a script uses.
 */
export class CallScripts {
  private readonly active = new Map<string, ScriptCall>();
  private readonly inbound = new Map<string, InboundScript>();
  private readonly closedWaiters = new Map<string, Array<() => void>>();

  constructor(private readonly ctx: ScriptContext) {}

  get context(): ScriptContext {
    return this.ctx;
  }

  /** The ACD's entry for `ScriptCall.enqueue` (installed by the queue side of the switch). */
  setQueueEntry(entry: NonNullable<ScriptContext['enqueue']>): void {
    this.ctx.enqueue = entry;
  }

  /** Calls in progress on this node. */
  get calls(): ScriptCall[] {
    return [...this.active.values()];
  }

  get(uuid: string): ScriptCall | undefined {
    return this.active.get(uuid);
  }

  /** Legs not yet ended, over every active call (zero when nothing runs: a leak shows here). */
  get openLegs(): number {
    let n = 0;
    for (const c of this.active.values()) n += c.legs.filter((l) => !l.ended).length;
    return n;
  }

  /** Timers held by active calls. */
  get pendingTimers(): number {
    let n = 0;
    for (const c of this.active.values()) n += c.pendingTimers;
    return n;
  }

  /** Opens the call's CDR; the caller steers it and must `end()` it (or use `run`). */
  async start(init: ScriptCallInit): Promise<ScriptCall> {
    const cdr = await this.ctx.records.open({
      type: init.type,
      service: init.service,
      queueId: init.queueId ?? null,
      customerId: init.customerId ?? null,
      agentUserId: init.agentUserId ?? null,
      customerNumber: init.customerNumber ?? null,
      callerNumber: init.callerNumber ?? null,
      calledNumber: init.calledNumber ?? null,
    });
    const call = new ScriptCall(this.ctx, cdr.id, cdr.uuid, init, (c) => {
      this.active.delete(c.uuid);
      for (const w of this.closedWaiters.get(c.uuid) ?? []) w();
      this.closedWaiters.delete(c.uuid);
    });
    this.active.set(call.uuid, call);
    return call;
  }

  /**
   * Starts a call and runs `script` on it; the call ends (every leg hung up, CDR closed) when the
   * script returns or throws. Resolves with the call once its CDR exists.
   */
  async run(init: ScriptCallInit, script: Script): Promise<ScriptCall> {
    const call = await this.start(init);
    void this.drive(call, () => script(call));
    return call;
  }

  /** Resolves once the call has ended and its records are written. */
  whenEnded(call: ScriptCall): Promise<void> {
    if (!this.active.has(call.uuid)) return Promise.resolve();
    return new Promise((resolve) => {
      const list = this.closedWaiters.get(call.uuid) ?? [];
      list.push(resolve);
      this.closedWaiters.set(call.uuid, list);
    });
  }

  private async drive(call: ScriptCall, body: () => Promise<void>): Promise<void> {
    let cause = 'normal_clearing';
    try {
      await body();
    } catch (err) {
      cause = 'script_error';
      this.ctx.logger.error({ err, call: call.uuid, service: call.init.service }, 'call script failed');
    }
    await call.end(cause);
  }

  /** Inbound routes whose target is of `targetType` are handed to `script`. */
  onInbound(targetType: string, script: InboundScript): () => void {
    this.inbound.set(targetType, script);
    return () => {
      if (this.inbound.get(targetType) === script) this.inbound.delete(targetType);
    };
  }

  handlesInbound(targetType: string): boolean {
    return this.inbound.has(targetType);
  }

  /** An inbound INVITE routed to a script target: the script gets the caller as an unanswered leg. */
  async takeInbound(
    incoming: IncomingRequest,
    target: { type: string; id: string },
    callerNumber: string | null,
    calledNumber: string,
  ): Promise<void> {
    const script = this.inbound.get(target.type);
    if (!script) {
      incoming.reply(480, { reason: 'Service Not Available' });
      return;
    }
    const call = await this.start({
      type: 'inbound',
      service: target.type,
      customerNumber: callerNumber,
      callerNumber,
      calledNumber,
    });
    const caller = call.adoptCaller(incoming, callerNumber);
    await this.drive(call, () => script(call, caller, target));
  }

  /** Ends every call (shutdown). */
  async stop(): Promise<void> {
    await Promise.all(this.calls.map((c) => c.end('shutdown')));
  }
}
