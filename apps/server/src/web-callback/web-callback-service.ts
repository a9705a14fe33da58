import {
  type CallbackNumberResponse,
  errorCodes,
  formatMinor,
  type PhoneNumberParts,
  type StartWebCallback,
  type WebCallback,
  type WebCallbackLeg,
  type WebCallbackSettings,
} from '@switchboard/shared';
import { recordAudit } from '../audit/audit-log';
import type { Db } from '../db/database';
import type { EventBus } from '../events/event-bus';
import { ApiError } from '../http/api-error';
import type { Logger } from '../observability/logger';
import type { RatingService, Refusal, Reservation } from '../rating/rating-service';
import type { CallScripts } from '../switch/scripts/call-scripts';
import type { ScriptCall, Via } from '../switch/scripts/script-call';
import type { ScriptLeg } from '../switch/scripts/script-leg';
import { checkNumberParts, type PartsCheck, partsOf } from './phone-parts';
import type { WebCallbackSettingsStore } from './web-callback-settings';
import { toWebCallback, type WebCallbackRow, type WebCallbackStore } from './web-callback-store';

const RATE_WINDOW_MS = 60_000;

/** A leg's end in words a subscriber understands. */
export function causeInWords(cause: string | null): string | null {
  if (cause === null) return null;
  const words: Record<string, string> = {
    busy: 'Busy',
    no_answer: 'No answer',
    rejected: 'Declined',
    not_found: 'The number does not exist',
    invalid_number: 'Not a valid number',
    no_trunk: 'No line to the phone network is available',
    normal_clearing: 'Hung up',
    cancelled: 'Cancelled',
    call_ended: 'Ended with the call',
    max_duration: 'Your credit ran out',
    portal_hangup: 'You ended the call from the portal',
    media_timeout: 'The line went silent',
    shutdown: 'The service restarted',
    script_error: 'The service failed',
  };
  if (words[cause]) return words[cause];
  const sip = /^sip_(\d{3})$/.exec(cause);
  if (sip) return `The network could not connect the call (${sip[1]})`;
  return cause.replace(/_/g, ' ');
}

/** A number that is not valid is bad input (400); a premium-rate one is refused (403). */
function numberRefusal(check: Extract<PartsCheck, { ok: false }>, field: string): ApiError {
  return check.reason === 'premium'
    ? ApiError.forbidden(check.message)
    : ApiError.badRequest(check.message, { fields: [{ field, message: check.message }] });
}

function refusalStatus(r: Refusal): ApiError {
  switch (r.reason) {
    case 'insufficient_credit':
      return new ApiError(
        402,
        errorCodes.insufficientCredit,
        'Your balance cannot pay for one minute of this call: top up first',
      );
    case 'concurrent_limit':
    case 'daily_limit':
      return new ApiError(429, errorCodes.throttled, r.message);
    case 'unknown_subscriber':
      return ApiError.unauthenticated('Sign in to the portal to continue');
    default:
      return new ApiError(403, errorCodes.forbidden, r.message);
  }
}

/** Records a refused request (audited, with the reason) and gives back the error to throw. */
type Refuse = (err: ApiError, reason: string) => Promise<ApiError>;

/** A leg as the request's row first holds it: not called yet. */
function newLeg(side: WebCallbackLeg['side'], number: string): WebCallbackLeg {
  return { side, number, status: null, cause: null, causeText: null, answeredAt: null, endedAt: null };
}

interface LiveCallback {
  id: number;
  subscriberId: number;
  call: ScriptCall;
  state: WebCallback;
  legs: { a: ScriptLeg | null; b: ScriptLeg | null };
  reservation: Reservation | null;
  costMinor: number | null;
}

export interface WebCallbackServiceDeps {
  db: Db;
  logger: Logger;
  events: EventBus;
  scripts: CallScripts;
  rating: RatingService;
  settings: WebCallbackSettingsStore;
  store: WebCallbackStore;
  nodeId: string | null;
}

/**
 * Web callback: the subscriber's phone (leg A) is called first; once it answers, it hears
 * "connecting your call" and ringback while the destination (leg B) is called; then both are
 * bridged for as long as the balance pays. Every check a request must pass is here, server-side.
 * See docs/web-callback.md.
 */
export class WebCallbackService {
  private readonly live = new Map<number, LiveCallback>();

  constructor(private readonly d: WebCallbackServiceDeps) {}

  /** The service settings (admin page and API). */
  get settings(): WebCallbackSettingsStore {
    return this.d.settings;
  }

  /** The registered call-back number, as typed and as E.164. */
  async callbackNumber(subscriberId: number): Promise<CallbackNumberResponse['callbackNumber']> {
    const row = await this.d.db
      .selectFrom('subscribers')
      .select(['callback_country', 'callback_area', 'callback_number'])
      .where('id', '=', subscriberId)
      .executeTakeFirst();
    if (!row?.callback_number) return null;
    const parts = partsOf(row.callback_number);
    return {
      countryCode: row.callback_country ?? parts.countryCode,
      areaCode: row.callback_area ?? '',
      number: row.callback_area ? parts.number.slice(row.callback_area.length) : parts.number,
      e164: row.callback_number,
    };
  }

  /** Registers (or replaces) the number web callbacks call first. */
  async setCallbackNumber(subscriberId: number, parts: PhoneNumberParts) {
    const checked = checkNumberParts(parts, 'call-back number');
    if (!checked.ok)
      throw ApiError.badRequest(checked.message, { fields: [{ field: 'number', message: checked.message }] });
    const settings = await this.d.settings.get();
    const problem = this.countryProblem(checked.country, settings, 'your number');
    if (problem) throw ApiError.forbidden(problem);
    const before = await this.callbackNumber(subscriberId);
    await this.d.db
      .updateTable('subscribers')
      .set({
        callback_country: parts.countryCode,
        callback_area: parts.areaCode || null,
        callback_number: checked.e164,
        updated_at: Date.now(),
      })
      .where('id', '=', subscriberId)
      .execute();
    await this.audit(subscriberId, 'subscriber.callback_number', subscriberId, {
      before: before?.e164 ?? null,
      after: checked.e164,
    });
    return this.callbackNumber(subscriberId);
  }

  /** Closes what a crash left in progress on this node (the rating engine settles its money). */
  async recover(): Promise<void> {
    const n = await this.d.store.closeInterrupted(this.d.nodeId, Date.now());
    if (n > 0) this.d.logger.warn({ count: n }, 'web callbacks left open by a crash closed as interrupted');
  }

  get active(): number {
    return this.live.size;
  }

  async start(subscriberId: number, input: StartWebCallback, clientIp: string | null): Promise<WebCallback> {
    const settings = await this.d.settings.get();
    const refuse: Refuse = async (err, reason) => {
      await this.audit(subscriberId, 'web_callback.refused', null, {
        reason,
        message: err.message,
        clientIp,
      });
      return err;
    };
    if (!settings.enabled)
      throw await refuse(ApiError.forbidden('Web callback is not available'), 'disabled');
    const account = await this.d.db
      .selectFrom('subscribers')
      .select(['callback_number', 'currency', 'status'])
      .where('id', '=', subscriberId)
      .executeTakeFirst();
    if (!account) throw ApiError.unauthenticated('Sign in to the portal to continue');

    const { legA, mode } = await this.legA(subscriberId, input, settings, account.callback_number, refuse);
    const legB = await this.destination(subscriberId, input, settings, legA, refuse);
    const id = await this.insertWithinLimits(
      { subscriberId, mode, legA, legB, clientIp, currency: account.currency },
      settings,
      refuse,
    );
    const entry = await this.launch(subscriberId, id, settings, legA, legB, refuse);
    await this.audit(subscriberId, 'web_callback.start', id, { legA, destination: legB, mode, clientIp });
    return entry.state;
  }

  /** Leg A: the registered number, or a number given for this call only. */
  private async legA(
    subscriberId: number,
    input: StartWebCallback,
    settings: WebCallbackSettings,
    registered: string | null,
    refuse: Refuse,
  ): Promise<{ legA: string; mode: WebCallbackRow['mode'] }> {
    if (!input.legA) {
      if (!registered) {
        throw new ApiError(
          409,
          errorCodes.conflict,
          'Please register a call-back number first before making call back',
        );
      }
      return { legA: registered, mode: 'callback' };
    }
    const a = checkNumberParts(input.legA, 'number to call you on');
    if (!a.ok) throw await refuse(numberRefusal(a, 'legA'), a.reason);
    const problem = this.countryProblem(a.country, settings, 'your number');
    if (problem) throw await refuse(ApiError.forbidden(problem), 'country_not_allowed');
    const legA = a.e164;
    const mode = (await this.owns(subscriberId, legA, registered)) ? 'one_off' : 'connect_two';
    if (mode === 'connect_two' && !settings.allowConnectTwo) {
      throw await refuse(
        ApiError.forbidden(
          `${legA} is not one of your numbers: this service calls only your call-back number and your authorized caller IDs`,
        ),
        'connect_two_not_allowed',
      );
    }
    return { legA, mode };
  }

  /** Leg B: a valid number in an allowed country, not leg A, that the account can pay a minute of. */
  private async destination(
    subscriberId: number,
    input: StartWebCallback,
    settings: WebCallbackSettings,
    legA: string,
    refuse: Refuse,
  ): Promise<string> {
    const b = checkNumberParts(input.destination, 'destination');
    if (!b.ok) throw await refuse(numberRefusal(b, 'destination'), b.reason);
    const problem = this.countryProblem(b.country, settings, 'the destination');
    if (problem) throw await refuse(ApiError.forbidden(problem), 'country_not_allowed');
    if (b.e164 === legA) {
      throw ApiError.badRequest('The destination is the number we would call you on: enter another number', {
        field: 'destination',
      });
    }
    const quote = await this.d.rating.quote(subscriberId, b.e164);
    if (!quote.ok) throw await refuse(refusalStatus(quote), quote.reason);
    return b.e164;
  }

  /**
   * The request's row; it counts toward the per-minute limits from the moment it exists, and is
   * removed again when it is over them.
   */
  private async insertWithinLimits(
    req: {
      subscriberId: number;
      mode: WebCallbackRow['mode'];
      legA: string;
      legB: string;
      clientIp: string | null;
      currency: string;
    },
    settings: WebCallbackSettings,
    refuse: Refuse,
  ): Promise<number> {
    const at = Date.now();
    const id = await this.d.store.insert({
      ...req,
      legs: [newLeg('a', req.legA), newLeg('b', req.legB)],
      nodeId: this.d.nodeId,
      at,
    });
    const since = at - RATE_WINDOW_MS;
    const bySubscriber = await this.d.store.countRecent({ subscriberId: req.subscriberId }, since, id);
    const byAddress = req.clientIp
      ? await this.d.store.countRecent({ clientIp: req.clientIp }, since, id)
      : 0;
    if (bySubscriber > settings.maxPerMinutePerSubscriber || byAddress > settings.maxPerMinutePerAddress) {
      await this.d.store.delete(id);
      const limit =
        bySubscriber > settings.maxPerMinutePerSubscriber
          ? `${settings.maxPerMinutePerSubscriber} web callbacks a minute per account`
          : `${settings.maxPerMinutePerAddress} web callbacks a minute from one address`;
      throw await refuse(
        new ApiError(429, errorCodes.throttled, `Too many calls: at most ${limit}; try again in a minute`),
        'rate_limit',
      );
    }
    return id;
  }

  /**
   * Starts the call script: it holds the money first, then rings leg A and connects. Resolves
   * once the hold is made; a hold refused (another call of the account took the credit since
   * the quote) removes the request and is thrown.
   */
  private async launch(
    subscriberId: number,
    id: number,
    settings: WebCallbackSettings,
    legA: string,
    legB: string,
    refuse: Refuse,
  ): Promise<LiveCallback> {
    const row = (await this.d.store.get(subscriberId, id))!;
    let registered!: () => void;
    const ready = new Promise<void>((resolve) => {
      registered = resolve;
    });
    let reserved!: (r: Reservation | Refusal) => void;
    const reservation = new Promise<Reservation | Refusal>((resolve) => {
      reserved = resolve;
    });
    const call = await this.d.scripts.run(
      {
        type: 'auto',
        service: 'web_callback',
        customerNumber: legA,
        callerNumber: legA,
        calledNumber: legB,
        subscriberWatchers: [subscriberId],
      },
      async (c) => {
        await ready;
        const r = await this.d.rating
          .reserve(subscriberId, legB, { callId: c.cdrId })
          .catch((err): Refusal => {
            this.d.logger.error({ err }, 'web callback reservation failed');
            return {
              ok: false,
              reason: 'no_rate',
              message: 'The call could not be rated',
              destination: legB,
            };
          });
        reserved(r);
        if (!r.ok) return;
        const entry = this.live.get(id);
        if (!entry) {
          await this.d.rating.release(r.reservationId);
          return;
        }
        entry.reservation = r;
        await this.connect(entry, settings, legA, legB, r);
      },
    );
    const state = toWebCallback({ ...row, call_id: call.cdrId, call_uuid: call.uuid });
    const entry: LiveCallback = {
      id,
      subscriberId,
      call,
      state,
      legs: { a: null, b: null },
      reservation: null,
      costMinor: null,
    };
    this.live.set(id, entry);
    registered();
    void this.d.scripts.whenEnded(call).then(() => this.finish(entry));
    await this.d.store.update(id, { call_id: call.cdrId, call_uuid: call.uuid });

    const r = await reservation;
    if (!r.ok) {
      // Lost a race with another call of the account between the quote and the hold.
      this.live.delete(id);
      await this.d.scripts.whenEnded(call);
      await this.d.store.delete(id);
      throw await refuse(refusalStatus(r), r.reason);
    }
    return entry;
  }

  private countryProblem(country: string | null, s: WebCallbackSettings, what: string): string | null {
    if (s.allowedCountries.length === 0) return null;
    if (country && s.allowedCountries.includes(country)) return null;
    return `Calls to ${what} in ${country ?? 'that country'} are not allowed by this service`;
  }

  /** The subscriber's own numbers: the registered call-back number and the authorized caller IDs. */
  private async owns(subscriberId: number, e164: string, registered: string | null): Promise<boolean> {
    if (registered === e164) return true;
    const row = await this.d.db
      .selectFrom('subscriber_caller_ids')
      .select('id')
      .where('subscriber_id', '=', subscriberId)
      .where('number', '=', e164)
      .executeTakeFirst();
    return !!row;
  }

  /** The call itself: A, then B, then the rated bridge. */
  private async connect(
    entry: LiveCallback,
    s: WebCallbackSettings,
    legANumber: string,
    destination: string,
    r: Reservation,
  ): Promise<void> {
    const call = entry.call;
    const via: Via = { trunk: s.trunkId ?? 'any' };
    let talkMs = 0;
    try {
      const a = call.originate({
        to: legANumber,
        via,
        role: 'customer',
        ringTimeoutMs: s.legARingTimeoutS * 1000,
        callerId: {
          number: s.legACallerIdPolicy === 'fixed' && s.legACallerId ? s.legACallerId : destination,
        },
      });
      this.follow(entry, 'a', a);
      if ((await a.outcome()) !== 'connected') {
        entry.state.outcome ??= `We could not reach you: ${causeInWords(a.cause ?? a.status)}`;
        return;
      }
      this.setStatus(entry, 'calling_destination');
      if ((await a.play('connecting-call')) === 'hangup') return;
      const b = call.originate({
        to: destination,
        via,
        role: 'destination',
        ringTimeoutMs: s.legBRingTimeoutS * 1000,
        callerId: {
          number: s.legBCallerIdPolicy === 'fixed' && s.legBCallerId ? s.legBCallerId : legANumber,
        },
      });
      this.follow(entry, 'b', b);
      const stopRingback = a.ringback();
      const outcome = await b.outcome();
      stopRingback();
      if (outcome !== 'connected') {
        if (a.ended) return;
        entry.state.outcome ??=
          outcome === 'busy'
            ? 'The number you called was busy'
            : outcome === 'no_answer'
              ? 'The number you called did not answer'
              : `The call to ${destination} failed: ${causeInWords(b.cause ?? outcome)}`;
        await a.play(
          outcome === 'busy' ? 'number-busy' : outcome === 'no_answer' ? 'no-answer' : 'call-failed',
        );
        return;
      }
      const legId = await b.rowId;
      if (legId !== null) await this.d.rating.attach(r.reservationId, { legId }).catch(() => {});
      entry.state.connectedAt = Date.now();
      entry.state.maxDurationS = r.maxDurationS;
      this.setStatus(entry, 'connected');
      void this.d.store.update(entry.id, {
        connected_at: entry.state.connectedAt,
        max_duration_s: r.maxDurationS,
      });
      const end = await call.bridge(a, b, {
        maxDurationMs: r.maxDurationMs,
        warnBeforeEndMs: r.warnBeforeEndMs,
        endPrompt: 'credit-exhausted',
        record: s.record,
      });
      talkMs = end.durationMs;
      entry.state.outcome ??=
        end.reason === 'max_duration'
          ? 'Your credit ran out'
          : end.endedBy === 'a'
            ? 'You hung up'
            : end.endedBy === 'b'
              ? 'The other party hung up'
              : 'Call ended';
    } finally {
      if (talkMs > 0) {
        const settled = await this.d.rating
          .settle(r.reservationId, Math.floor(talkMs / 1000))
          .catch((err) => {
            this.d.logger.error({ err, webCallback: entry.id }, 'web callback not settled');
            return null;
          });
        if (settled) {
          entry.state.cost = settled.cost;
          entry.costMinor = settled.costMinor;
        }
      } else {
        await this.d.rating.release(r.reservationId).catch((err) => {
          this.d.logger.error({ err, webCallback: entry.id }, 'web callback hold not released');
        });
        entry.state.cost = formatMinor(0, r.currency);
        entry.costMinor = 0;
      }
    }
  }

  private follow(entry: LiveCallback, side: 'a' | 'b', leg: ScriptLeg): void {
    entry.legs[side] = leg;
    const sync = () => {
      const i = side === 'a' ? 0 : 1;
      entry.state.legs[i] = {
        ...entry.state.legs[i]!,
        status: leg.status,
        cause: leg.cause,
        causeText: causeInWords(leg.cause),
        answeredAt: leg.answeredAt,
        endedAt: leg.endedAt,
      };
      this.publish(entry);
    };
    leg.onStatus(sync);
    sync();
  }

  private setStatus(entry: LiveCallback, status: WebCallback['status']): void {
    entry.state.status = status;
    void this.d.store.update(entry.id, { status }).catch(() => {});
    this.publish(entry);
  }

  private publish(entry: LiveCallback): void {
    entry.state.version += 1;
    this.d.events.publish(
      {
        type: 'web_callback',
        webCallback: { ...entry.state, legs: entry.state.legs.map((l) => ({ ...l })) },
      },
      { subscriberIds: [entry.subscriberId] },
    );
  }

  /** The call has ended and its records are written: the web callback's row gets its final state. */
  private async finish(entry: LiveCallback): Promise<void> {
    this.live.delete(entry.id);
    const st = entry.state;
    st.status = 'ended';
    st.endedAt = Date.now();
    if (st.connectedAt !== null) st.durationS = Math.max(0, Math.round((st.endedAt - st.connectedAt) / 1000));
    st.outcome ??= 'Call ended';
    try {
      await this.d.store.update(entry.id, {
        status: 'ended',
        ended_at: st.endedAt,
        outcome: st.outcome,
        legs: st.legs,
        cost_minor: entry.costMinor,
      });
    } catch (err) {
      this.d.logger.error({ err, webCallback: entry.id }, 'web callback row not closed');
    }
    this.publish(entry);
  }

  /** Hangs up both legs of the subscriber's web callback; false when it is not theirs or is over. */
  async hangUp(subscriberId: number, id: number): Promise<boolean> {
    const entry = this.live.get(id);
    if (!entry || entry.subscriberId !== subscriberId) return false;
    entry.state.outcome ??= 'You ended the call from the portal';
    await entry.call.end('portal_hangup', 'customer');
    await this.d.scripts.whenEnded(entry.call);
    return true;
  }

  /** The subscriber's web callback: live on this node, else as stored. */
  async get(subscriberId: number, id: number): Promise<WebCallback | null> {
    const entry = this.live.get(id);
    if (entry && entry.subscriberId === subscriberId) return entry.state;
    const row = await this.d.store.get(subscriberId, id);
    return row ? toWebCallback(row) : null;
  }

  async list(subscriberId: number, page: number, pageSize: number) {
    const { rows, total } = await this.d.store.list(subscriberId, page, pageSize);
    const webCallbacks = rows.map((row) => {
      const entry = this.live.get(row.id);
      return entry ? entry.state : toWebCallback(row);
    });
    return { webCallbacks, total };
  }

  private async audit(subscriberId: number, action: string, id: number | null, after: unknown) {
    await recordAudit(this.d.db, {
      actor: { kind: 'subscriber', id: subscriberId },
      action,
      entity: 'web_callback',
      entityId: id,
      after,
    }).catch((err) => this.d.logger.warn({ err }, 'web callback audit not written'));
  }

  /** Ends every web callback in progress (shutdown). */
  async stop(): Promise<void> {
    await Promise.all([...this.live.values()].map((e) => e.call.end('shutdown')));
  }
}
