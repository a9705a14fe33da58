import { type CallbackBreakerSettings, defaultCallbackBreakerSettings, toE164 } from '@switchboard/shared';
import { sql } from 'kysely';
import { recordAudit } from '../audit/audit-log';
import { type Db, isPostgres } from '../db/database';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../observability/logger';
import type { RatingService, Refusal, Reservation } from '../rating/rating-service';
import type { SubscriberAccounts } from '../subscribers/subscriber-accounts';
import type { CallScripts } from '../switch/scripts/call-scripts';
import type { CollectOptions } from '../switch/scripts/digit-buffer';
import type { ScriptCall, Via } from '../switch/scripts/script-call';
import type { ScriptLeg } from '../switch/scripts/script-leg';
import type { Prompt } from '../switch/scripts/spoken-values';
import { CallbackBreaker } from './callback-breaker';
import { type CallbackServiceRow, CallbackServiceStore } from './callback-service-store';
import { checkDestination, isHiddenCallerId } from './destination-policy';

/** The advisory lock callback decisions take on PostgreSQL (any number unique to this use). */
const DECISION_LOCK_KEY = 0x53424342;
export interface CallbackServicesOptions {
  db: Db;
  logger: Logger;
  scripts: CallScripts;
  rating: RatingService;
  accounts: SubscriberAccounts;
  /** Resolves `sound:<id>` prompt settings to library files. */
  sounds?: { resolve(prompt: string): Promise<string | null> };
  nodeId: string;
  defaultCountry: string;
  now?: () => number;
  /** The circuit breaker's caps (admin settings); without them, no cap. */
  settings?: { callbackBreaker(): Promise<CallbackBreakerSettings> };
  /** Where the breaker's alerts go (administrators' live streams). */
  events?: EventBus;
}

/** What a request for a call back asks for, however it came (a trigger call, an SMS). */
export interface CallbackOrder {
  service: CallbackServiceRow;
  source: 'call' | 'sms';
  /** The number that asked (the trigger call's caller ID, the SMS sender). */
  callerNumber: string | null;
  /** SMS `CALL <number>` / `CONNECT <n1> <n2>`: the destination is known, no prompt for it. */
  destination?: string | null;
  /** SMS `CONNECT <n1> <n2>`: call this number back instead of the sender. */
  callbackNumber?: string | null;
  /** The sender proved who they are (an authorized caller ID): no PIN asked. */
  subscriberId?: number | null;
}

/**
 * One call back, whoever asked for it: whom to ring and how, after what delay, and what the call
 * does once they answer. The engine keeps the delay, the request's status, the CDR (service
 * `callback`) and the shutdown rules the same for every kind.
 */
interface CallBackPlan {
  requestId: number;
  delayMs: number;
  to: string;
  via: Via;
  callerId: string | null;
  ringTimeoutMs?: number;
  /** Runs on the answered leg; what it returns is the request's outcome. */
  answered(call: ScriptCall, leg: ScriptLeg): Promise<{ status: 'done' | 'failed'; reason: string }>;
}

/**
 * A call flow's Callback component: the caller has been released; ring `to` after the delay and,
 * once answered, go on with the flow on that leg (`answered`, which resolves when the flow ends).
 */
export interface FlowCallBack {
  flowId: number;
  /** The number that asked (for the log); the caller's own number when `to` is it. */
  callerNumber: string | null;
  /** An E.164 number through a trunk, or an extension (`via.extension`). */
  to: string | null;
  via: Via;
  callerId: string | null;
  delayS: number;
  ringTimeoutS: number;
  answered(call: ScriptCall, leg: ScriptLeg): Promise<void>;
}

export type OrderResult =
  | { ok: true; requestId: number; callbackNumber: string; subscriberId: number | null }
  | { ok: false; requestId: number | null; reason: string };

/**
 * A wrong entry's prompt ("invalid PIN, please try again") gives way to the first key typed: a
 * caller who already knows the next entry is not held up, and the key starts that entry.
 */
const retry = { bargeIn: true } as const;

type DialogueEnd = { status: 'done' | 'failed'; reason: string };

const hungUp: DialogueEnd = { status: 'done', reason: 'caller_hung_up' };

/** A paying caller's call back, once past the security: what the destination loop works with. */
interface DialSession {
  call: ScriptCall;
  a: ScriptLeg;
  service: CallbackServiceRow;
  requestId: number;
  subscriberId: number;
  /** Played when the credit runs out. */
  zeroCredit: Prompt;
  rules: { allowedCountries: string[]; blockedPrefixes: string[] };
}

/** Twice `max_attempts` wrong PINs from one number within this window lock it out for the window. */
const LOCK_WINDOW_MS = 30 * 60_000;

/**
 * Callback services: the trigger on the access number (never charged), the call back after the
 * delay, and the call back's dialogue (balance, PIN, destination, rated bridge, `#11`), with the
 * toll-fraud limits. Every request is a `callback_requests` row; the call back is a call script
 * (service `callback`) with one CDR and a leg row per party.
 */
export class CallbackServices {
  readonly store: CallbackServiceStore;
  readonly breaker: CallbackBreaker;
  private readonly pending = new Map<number, NodeJS.Timeout>();
  private readonly running = new Set<Promise<unknown>>();
  private readonly calls = new Set<ScriptCall>();
  /** The request being decided; the next waits for it (see `order`). */
  private ordering: Promise<unknown> = Promise.resolve();
  private readonly now: () => number;
  private offInbound: (() => void) | null = null;
  private stopped = false;

  constructor(private readonly o: CallbackServicesOptions) {
    this.now = o.now ?? Date.now;
    this.store = new CallbackServiceStore(o.db, this.now);
    this.breaker = new CallbackBreaker({
      db: o.db,
      logger: o.logger,
      settings: o.settings ?? { callbackBreaker: async () => defaultCallbackBreakerSettings },
      ...(o.events ? { events: o.events } : {}),
      now: this.now,
    });
  }

  async start(): Promise<void> {
    await this.store.closeInterrupted(this.o.nodeId);
    this.offInbound = this.o.scripts.onInbound('callback_service', (call, caller, target) =>
      this.trigger(call, caller, target.id),
    );
  }

  /** Drops the call backs not yet started (their requests fail as `shutdown`); calls in progress end with the switch. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.offInbound?.();
    for (const [requestId, t] of this.pending) {
      clearTimeout(t);
      await this.store.setRequest(requestId, { status: 'failed', reason: 'shutdown' }).catch(() => {});
    }
    this.pending.clear();
    // Call backs in progress end here, not with the switch: their requests are closed before the database goes.
    await Promise.all([...this.calls].map((c) => c.end('shutdown')));
    await Promise.allSettled([...this.running]);
  }

  /** Call backs waiting for their delay. */
  get scheduled(): number {
    return this.pending.size;
  }

  /** A service's prompt setting (a shipped prompt name or `sound:<id>`) as something to play. */
  private async prompt(setting: string | null, fallback: Prompt): Promise<Prompt> {
    if (!setting) return fallback;
    const resolved = this.o.sounds ? await this.o.sounds.resolve(setting) : setting;
    return (resolved as Prompt | null) ?? fallback;
  }

  private e164(number: string | null): string | null {
    if (!number) return null;
    return toE164(number, this.o.defaultCountry as Parameters<typeof toE164>[1]);
  }

  private audit(action: string, serviceId: number, after: Record<string, unknown>): Promise<void> {
    return recordAudit(this.o.db, {
      actor: { kind: 'system', id: null },
      action,
      entity: 'callback_service',
      entityId: serviceId,
      after,
    }).catch((err) => this.o.logger.warn({ err, action }, 'audit not written'));
  }

  // ---- the trigger --------------------------------------------------------------------------------

  /**
   * A call handed to a service as if it had called the access number (a call flow's Callback
   * service component): the trigger, then the call back, exactly as for the service's own number.
   */
  handOver(call: ScriptCall, caller: ScriptLeg, serviceId: number): Promise<void> {
    return this.trigger(call, caller, String(serviceId));
  }

  /** The call to the access number: decide, ring then busy (or answer, prompt, hang up), schedule. */
  private async trigger(call: ScriptCall, caller: ScriptLeg, serviceId: string): Promise<void> {
    const service = await this.store.row(Number(serviceId));
    if (service?.enabled !== 1) {
      caller.reject(480, 'Service Not Available');
      return;
    }
    // Decided while it rings; the call back only follows once the trigger is over.
    const decided = this.order({ service, source: 'call', callerNumber: caller.number }, false);
    if (service.trigger === 'answer_prompt') {
      if (await caller.answer()) {
        await caller.play(await this.prompt(service.trigger_prompt, 'please-wait'));
        await caller.hangup('normal_clearing');
      }
    } else if (caller.connected) {
      // Handed over by a call flow after it answered: nothing left to refuse, the caller is released.
      await caller.hangup('callback');
    } else {
      caller.ring();
      await call.wait(service.ring_ms);
      caller.reject(486);
    }
    const result = await decided;
    if (result.ok)
      this.schedule(
        this.servicePlan(service, result.requestId, result, { source: 'call', callerNumber: caller.number }),
      );
  }

  /**
   * A call flow's Callback component: refused (and audited) for a hidden caller ID, otherwise
   * logged as a request (`source` `flow`) and called back after the delay like a service's.
   */
  async callBackForFlow(r: FlowCallBack): Promise<OrderResult> {
    if (this.stopped) return { ok: false, requestId: null, reason: 'shutdown' };
    const byExtension = 'extension' in r.via;
    const to = byExtension ? r.to : r.to && !isHiddenCallerId(r.to) ? this.e164(r.to) : null;
    const log = {
      serviceId: null,
      flowId: r.flowId,
      source: 'flow' as const,
      callerNumber: r.callerNumber,
      callbackNumber: to,
      subscriberId: null,
      nodeId: this.o.nodeId,
    };
    if (!to) {
      const requestId = await this.store.addRequest({
        ...log,
        status: 'refused',
        reason: 'hidden_caller_id',
      });
      this.o.logger.info({ flow: r.flowId, caller: r.callerNumber }, 'flow call back refused: no number');
      await recordAudit(this.o.db, {
        actor: { kind: 'system', id: null },
        action: 'callback.refused',
        entity: 'call_flow',
        entityId: r.flowId,
        after: { requestId, source: 'flow', caller: r.callerNumber, reason: 'hidden_caller_id' },
      }).catch((err) => this.o.logger.warn({ err }, 'audit not written'));
      return { ok: false, requestId, reason: 'hidden_caller_id' };
    }
    const requestId = await this.store.addRequest({ ...log, status: 'scheduled' });
    this.schedule({
      requestId,
      delayMs: r.delayS * 1000,
      to,
      via: r.via,
      callerId: r.callerId,
      ringTimeoutMs: r.ringTimeoutS * 1000,
      answered: async (call, leg) => {
        await r.answered(call, leg);
        return { status: 'done', reason: 'completed' };
      },
    });
    return { ok: true, requestId, callbackNumber: to, subscriberId: null };
  }

  /**
   * Checks a request (caller ID, method, lock-out, limits) and writes it down: `scheduled` or
   * `refused` with the reason. With `schedule`, the call back is started after the delay.
   * Requests are decided one at a time on this node: the limits count the requests written so far,
   * so two triggers close together (a caller redialling at once) cannot both pass a limit of one.
   */
  order(order: CallbackOrder, schedule = true): Promise<OrderResult> {
    const decided = this.ordering.then(() => this.acrossNodes(() => this.decide(order, schedule)));
    this.ordering = decided.catch(() => undefined);
    return decided;
  }

  /**
   * On PostgreSQL every node decides under one advisory lock, held on a connection of its own while
   * the decision reads the counts and writes its request, so two nodes cannot both pass a limit of
   * one either. SQLite has one node: the order above is enough.
   */
  private async acrossNodes<T>(work: () => Promise<T>): Promise<T> {
    const { db } = this.o;
    if (!isPostgres(db)) return work();
    return db.connection().execute(async (conn) => {
      await sql`select pg_advisory_lock(${DECISION_LOCK_KEY})`.execute(conn);
      try {
        return await work();
      } finally {
        await sql`select pg_advisory_unlock(${DECISION_LOCK_KEY})`.execute(conn);
      }
    });
  }

  private async decide(order: CallbackOrder, schedule: boolean): Promise<OrderResult> {
    const { service } = order;
    const refuse = async (reason: string, subscriberId: number | null = null): Promise<OrderResult> => {
      this.o.logger.info(
        { service: service.id, caller: order.callerNumber, reason },
        'callback request refused',
      );
      const requestId = await this.store.addRequest({
        serviceId: service.id,
        source: order.source,
        callerNumber: order.callerNumber,
        callbackNumber: null,
        destination: order.destination ?? null,
        subscriberId,
        status: 'refused',
        reason,
        nodeId: this.o.nodeId,
      });
      await this.audit('callback.refused', service.id, {
        requestId,
        source: order.source,
        caller: order.callerNumber,
        reason,
      });
      return { ok: false, requestId, reason };
    };
    if (this.stopped) return { ok: false, requestId: null, reason: 'shutdown' };
    if (isHiddenCallerId(order.callerNumber)) return refuse('hidden_caller_id');
    const caller = this.e164(order.callerNumber);
    if (!caller) return refuse('hidden_caller_id');
    const authorizedFor = order.subscriberId ?? (await this.o.accounts.findByCallerId(caller));
    const locked =
      (await this.store.pinFailuresSince(caller, this.now() - LOCK_WINDOW_MS)) >= service.max_attempts * 2;
    if (locked) return refuse('locked_out', authorizedFor);
    let callbackNumber: string;
    if (order.callbackNumber) {
      const n = this.e164(order.callbackNumber);
      if (!n) return refuse('invalid_callback_number', authorizedFor);
      callbackNumber = n;
    } else if (service.method === 'call_number') callbackNumber = service.number ?? '';
    else if (service.method === 'call_extension') callbackNumber = service.extension ?? '';
    else callbackNumber = caller;
    if (service.method === 'call_authorized' && authorizedFor === null) return refuse('not_authorized');
    const subscriberId = authorizedFor ?? service.subscriber_id;
    // The cap over all services first: once it trips, nothing else matters.
    if ((await this.breaker.check()).tripped) return refuse('circuit_breaker', subscriberId);
    // Toll-fraud limits: per service and per subscriber, concurrent and per hour.
    const perService = await this.store.counts({ serviceId: service.id });
    if (service.max_concurrent !== null && perService.active >= service.max_concurrent)
      return refuse('service_concurrent_limit', subscriberId);
    if (service.max_per_hour !== null && perService.lastHour >= service.max_per_hour)
      return refuse('service_hourly_limit', subscriberId);
    if (subscriberId !== null) {
      const perSub = await this.store.counts({ subscriberId });
      if (service.subscriber_max_concurrent !== null && perSub.active >= service.subscriber_max_concurrent)
        return refuse('subscriber_concurrent_limit', subscriberId);
      if (service.subscriber_max_per_hour !== null && perSub.lastHour >= service.subscriber_max_per_hour)
        return refuse('subscriber_hourly_limit', subscriberId);
    }
    const requestId = await this.store.addRequest({
      serviceId: service.id,
      source: order.source,
      callerNumber: caller,
      callbackNumber,
      destination: order.destination ?? null,
      subscriberId,
      status: 'scheduled',
      nodeId: this.o.nodeId,
    });
    const result = { ok: true as const, requestId, callbackNumber, subscriberId };
    if (schedule) this.schedule(this.servicePlan(service, requestId, result, order));
    return result;
  }

  /** A service's call back: rung as its method says, then its dialogue (PIN, destination, bridge). */
  private servicePlan(
    service: CallbackServiceRow,
    requestId: number,
    accepted: { callbackNumber: string; subscriberId: number | null },
    order: Pick<CallbackOrder, 'source' | 'callerNumber' | 'destination' | 'subscriberId'>,
  ): CallBackPlan {
    return {
      requestId,
      delayMs: service.delay_ms,
      to: accepted.callbackNumber,
      via:
        service.method === 'call_extension'
          ? { extension: accepted.callbackNumber }
          : { trunk: service.trunk_id ?? 'any' },
      callerId: service.caller_id,
      answered: async (call, a) => {
        const caller = this.e164(order.callerNumber);
        const authorizedFor =
          order.subscriberId ?? (caller ? await this.o.accounts.findByCallerId(caller) : null);
        return this.dialogue(call, a, service, requestId, {
          caller,
          authorizedFor,
          fixedDestination: order.destination ?? null,
        });
      },
    };
  }

  private schedule(plan: CallBackPlan): void {
    if (this.stopped) return;
    const { requestId } = plan;
    const t = setTimeout(() => {
      this.pending.delete(requestId);
      const p = this.callBack(plan)
        .catch((err) => {
          this.o.logger.error({ err, requestId }, 'call back failed');
          return this.store.setRequest(requestId, { status: 'failed', reason: 'internal_error' });
        })
        .catch(() => {});
      this.running.add(p);
      void p.finally(() => this.running.delete(p));
    }, plan.delayMs);
    this.pending.set(requestId, t);
  }

  // ---- the call back ------------------------------------------------------------------------------

  /** Rings the call back (one CDR, service `callback`); once answered, the plan's call goes on. */
  private async callBack(plan: CallBackPlan): Promise<void> {
    const { requestId } = plan;
    await this.store.setRequest(requestId, { status: 'calling' });
    let outcome: { status: 'done' | 'failed'; reason: string } = { status: 'failed', reason: 'not_started' };
    const call = await this.o.scripts.run(
      {
        type: 'auto',
        service: 'callback',
        customerNumber: plan.to,
        callerNumber: plan.callerId,
        calledNumber: plan.to,
      },
      async (c) => {
        const a = c.originate({
          to: plan.to,
          via: plan.via,
          role: 'customer',
          ...(plan.ringTimeoutMs ? { ringTimeoutMs: plan.ringTimeoutMs } : {}),
          ...(plan.callerId ? { callerId: { number: plan.callerId } } : {}),
        });
        const answered = await a.outcome();
        outcome =
          answered === 'connected'
            ? await plan.answered(c, a)
            : { status: 'failed', reason: a.cause ?? answered };
      },
    );
    this.calls.add(call);
    try {
      await this.store.setRequest(requestId, { callId: call.cdrId });
      await this.o.scripts.whenEnded(call);
    } finally {
      this.calls.delete(call);
    }
    await this.store.setRequest(
      requestId,
      this.stopped && outcome.reason === 'not_started' ? { status: 'failed', reason: 'shutdown' } : outcome,
    );
  }

  private async dialogue(
    call: ScriptCall,
    a: ScriptLeg,
    service: CallbackServiceRow,
    requestId: number,
    who: { caller: string | null; authorizedFor: number | null; fixedDestination: string | null },
  ): Promise<DialogueEnd> {
    const payer = await this.authorize(a, service, requestId, who);
    if ('end' in payer) return payer.end;
    if (payer.subscriberId === null) {
      await a.play(['not-authorized', 'goodbye']);
      return { status: 'failed', reason: 'no_account' };
    }
    const subscriberId = payer.subscriberId;
    if (service.announce_balance === 1) {
      const b = await this.balance(subscriberId);
      if (b && (await a.play(['your-balance-is', { money: b }])) === 'hangup') return hungUp;
    }
    const session: DialSession = {
      call,
      a,
      service,
      requestId,
      subscriberId,
      zeroCredit: await this.prompt(service.credit_exhausted_prompt, 'credit-exhausted'),
      rules: {
        allowedCountries: JSON.parse(service.allowed_countries || '[]') as string[],
        blockedPrefixes: JSON.parse(service.blocked_prefixes || '[]') as string[],
      },
    };
    return this.destinations(session, who.fixedDestination);
  }

  /**
   * Who pays: the authorized caller ID's account, else the service's, else the one the caller
   * names, once the service's security (service password or account PIN) is passed.
   */
  private async authorize(
    a: ScriptLeg,
    service: CallbackServiceRow,
    requestId: number,
    who: { caller: string | null; authorizedFor: number | null },
  ): Promise<{ subscriberId: number | null } | { end: DialogueEnd }> {
    const subscriberId = who.authorizedFor ?? service.subscriber_id;
    if (service.security === 'service_password') {
      const end = await this.checkServicePassword(a, service, requestId, who.caller);
      return end ? { end } : { subscriberId };
    }
    if (service.security === 'pin' && who.authorizedFor === null)
      return this.checkAccountPin(a, service, requestId, who.caller, subscriberId);
    return { subscriberId };
  }

  /** The service's own password, up to `max_attempts` tries; null once it is right. */
  private async checkServicePassword(
    a: ScriptLeg,
    service: CallbackServiceRow,
    requestId: number,
    caller: string | null,
  ): Promise<DialogueEnd | null> {
    for (let i = 0; i < service.max_attempts; i++) {
      const got = await a.ask('enter-pin', this.entry(service, 10));
      if (got.end === 'hangup') return hungUp;
      if (await this.store.verifyServicePassword(service, got.digits)) return null;
      if (caller) await this.store.pinFailure(service.id, caller);
      if ((await a.play(['invalid-pin', 'please-try-again'], retry)) === 'hangup') return hungUp;
    }
    return this.pinFailed(a, service, requestId, caller);
  }

  /**
   * An account's PIN (its number asked first when the service has no account of its own), up to
   * `max_attempts` tries. The account that passes pays for the request.
   */
  private async checkAccountPin(
    a: ScriptLeg,
    service: CallbackServiceRow,
    requestId: number,
    caller: string | null,
    known: number | null,
  ): Promise<{ subscriberId: number } | { end: DialogueEnd }> {
    for (let i = 0; i < service.max_attempts; i++) {
      let account = known;
      if (account === null) {
        const got = await a.ask('enter-account', this.entry(service, 20));
        if (got.end === 'hangup') return { end: hungUp };
        account = await this.accountByNumber(got.digits);
      }
      const pin = await a.ask('enter-pin', this.entry(service, 10));
      if (pin.end === 'hangup') return { end: hungUp };
      if (account !== null && (await this.o.accounts.verifyPin(account, pin.digits))) {
        await this.store.setRequest(requestId, { subscriberId: account });
        // After a correct PIN this number is authorized: no PIN is asked next time.
        if (caller) await this.remember(service.id, account, caller);
        return { subscriberId: account };
      }
      if (caller) await this.store.pinFailure(service.id, caller);
      if ((await a.play(['invalid-pin', 'please-try-again'], retry)) === 'hangup') return { end: hungUp };
    }
    return { end: await this.pinFailed(a, service, requestId, caller) };
  }

  /** How the caller keys an entry: up to `maxDigits`, `#` ends it early, the service's timeouts. */
  private entry(service: CallbackServiceRow, maxDigits: number): CollectOptions {
    return {
      maxDigits,
      terminator: '#',
      firstDigitTimeoutMs: service.first_digit_timeout_ms,
      interDigitTimeoutMs: service.inter_digit_timeout_ms,
    };
  }

  private async balance(subscriberId: number): Promise<{ minor: number; currency: string } | null> {
    const acc = await this.o.accounts.get(subscriberId);
    return acc ? { minor: acc.availableMinor, currency: acc.currency } : null;
  }

  /** The destination loop: ask, rate, dial, bridge; `#11` or B hanging up comes back here. */
  private async destinations(s: DialSession, fixedDestination: string | null): Promise<DialogueEnd> {
    let calls = 0;
    let fixed = fixedDestination;
    for (let misses = 0; misses < s.service.max_attempts; ) {
      let typed: string;
      if (fixed) {
        typed = fixed;
        fixed = null;
      } else {
        const turn = await this.askDestination(s, calls);
        if ('end' in turn) return turn.end;
        if (!('typed' in turn)) {
          if (turn.miss) misses++;
          continue;
        }
        typed = turn.typed;
      }
      const admitted = await this.admit(s, typed);
      if ('end' in admitted) return admitted.end;
      if (!('reserved' in admitted)) {
        misses++;
        continue;
      }
      const end = await this.connect(
        s.call,
        s.a,
        s.service,
        s.subscriberId,
        admitted.reserved,
        admitted.destination,
        s.zeroCredit,
      );
      calls++;
      misses = 0;
      if (end === 'a_gone') return { status: 'done', reason: 'completed' };
      if (end === 'credit_exhausted') return { status: 'done', reason: 'credit_exhausted' };
    }
    await s.a.play('goodbye');
    return { status: 'done', reason: calls ? 'completed' : 'no_destination' };
  }

  /**
   * One destination entry: the number typed, or `*` (the balance, when the service tells it) and
   * an empty entry (a miss), after which the caller is asked again.
   */
  private async askDestination(
    s: DialSession,
    calls: number,
  ): Promise<{ typed: string } | { miss: boolean } | { end: DialogueEnd }> {
    const got = await s.a.ask('enter-destination', this.entry(s.service, 20));
    if (got.end === 'hangup')
      return { end: { status: 'done', reason: calls ? 'completed' : 'caller_hung_up' } };
    if (got.digits === '*' && s.service.credit_query === 1) {
      const b = await this.balance(s.subscriberId);
      if (b) await s.a.play(['your-balance-is', { money: b }]);
      return { miss: false };
    }
    if (got.digits === '') {
      if ((await s.a.play('please-try-again', retry)) === 'hangup') return { end: hungUp };
      return { miss: true };
    }
    return { typed: got.digits };
  }

  /**
   * A typed destination passes when it is a valid number the service's rules allow and the
   * account's credit holds for it; otherwise the caller hears why (a miss) or, out of credit, goodbye.
   */
  private async admit(
    s: DialSession,
    typed: string,
  ): Promise<{ destination: string; reserved: Reservation } | { miss: true } | { end: DialogueEnd }> {
    const destination = this.destinationE164(typed);
    if (!destination) {
      if ((await s.a.play(['invalid-number', 'please-try-again'], retry)) === 'hangup')
        return { end: hungUp };
      return { miss: true };
    }
    const refusedBy = checkDestination(destination, s.rules);
    if (refusedBy) {
      await this.audit('callback.destination_refused', s.service.id, {
        requestId: s.requestId,
        subscriberId: s.subscriberId,
        destination,
        reason: refusedBy,
      });
      if ((await s.a.play(['destination-not-allowed', 'please-try-again'], retry)) === 'hangup')
        return { end: hungUp };
      return { miss: true };
    }
    const reserved = await this.o.rating.reserve(s.subscriberId, destination, { callId: s.call.cdrId });
    if (reserved.ok) return { destination, reserved };
    if (this.outOfCredit(reserved)) {
      await s.a.play([s.zeroCredit, 'goodbye']);
      return { end: { status: 'done', reason: 'credit_exhausted' } };
    }
    if ((await s.a.play(['destination-not-allowed', 'please-try-again'], retry)) === 'hangup')
      return { end: hungUp };
    return { miss: true };
  }

  private outOfCredit(r: Refusal): boolean {
    return r.reason === 'insufficient_credit';
  }

  /** Dials B with the subscriber's caller ID, bridges rated and limited, settles. */
  private async connect(
    call: ScriptCall,
    a: ScriptLeg,
    service: CallbackServiceRow,
    subscriberId: number,
    reservation: Reservation,
    destination: string,
    zeroCredit: Prompt,
  ): Promise<'a_gone' | 'again' | 'credit_exhausted'> {
    const callerIds = await this.o.accounts.callerIds(subscriberId);
    const shown = callerIds[0]?.number ?? service.caller_id ?? undefined;
    if (
      (await a.play(['you-can-talk-for', { duration: { seconds: reservation.maxDurationS } }])) === 'hangup'
    ) {
      await this.o.rating.release(reservation.reservationId);
      return 'a_gone';
    }
    const b = call.originate({
      to: destination,
      role: 'destination',
      ...(shown ? { callerId: { number: shown } } : {}),
    });
    const legRow = await b.rowId;
    if (legRow !== null) await this.o.rating.attach(reservation.reservationId, { legId: legRow });
    const stopRingback = a.ringback();
    const outcome = await b.outcome();
    stopRingback();
    if (outcome !== 'connected') {
      await this.o.rating.release(reservation.reservationId);
      if (a.ended) return 'a_gone';
      await a.play(
        outcome === 'busy' ? 'number-busy' : outcome === 'no_answer' ? 'no-answer' : 'call-failed',
      );
      return a.ended ? 'a_gone' : 'again';
    }
    const end = await call.bridge(a, b, {
      maxDurationMs: reservation.maxDurationMs,
      warnBeforeEndMs: reservation.warnBeforeEndMs,
      endPrompt: zeroCredit,
      disconnectSequence: service.disconnect_sequence,
    });
    // Billed from the bridge: B was answered when it started.
    await this.o.rating.settle(reservation.reservationId, Math.floor(end.durationMs / 1000), {
      legId: legRow,
    });
    if (end.endedBy === 'a' && end.reason === 'hangup') return 'a_gone';
    if (end.reason === 'max_duration') return 'credit_exhausted';
    if (b.connected) await b.hangup('normal_clearing');
    return a.ended ? 'a_gone' : 'again';
  }

  private destinationE164(typed: string): string | null {
    const digits = typed.replace(/\*/g, '');
    if (!/^[0-9]{3,20}$/.test(digits)) return null;
    // 00 / 011 international prefixes and plain national numbers.
    const text = digits.startsWith('00')
      ? `+${digits.slice(2)}`
      : digits.startsWith('011')
        ? `+${digits.slice(3)}`
        : digits;
    return this.e164(text) ?? this.e164(`+${digits}`);
  }

  private async accountByNumber(typed: string): Promise<number | null> {
    if (!/^[0-9]{3,20}$/.test(typed)) return null;
    const row = await this.o.db
      .selectFrom('subscribers')
      .select('id')
      .where('phone_number', '=', typed)
      .executeTakeFirst();
    return row?.id ?? null;
  }

  private async remember(serviceId: number, subscriberId: number, number: string): Promise<void> {
    try {
      await this.o.accounts.addCallerId(subscriberId, number, { kind: 'system', id: null });
    } catch (err) {
      // Already in the list, or another account's: the PIN stays asked for it.
      this.o.logger.info({ err: String(err), serviceId, subscriberId }, 'caller ID not remembered');
    }
  }

  private async pinFailed(
    a: ScriptLeg,
    service: CallbackServiceRow,
    requestId: number,
    caller: string | null,
  ): Promise<{ status: 'failed'; reason: string }> {
    await this.audit('callback.pin_failed', service.id, {
      requestId,
      caller,
      attempts: service.max_attempts,
    });
    await a.play('goodbye');
    return { status: 'failed', reason: 'wrong_pin' };
  }
}
