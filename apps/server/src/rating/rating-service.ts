import {
  defaultRatingSettings,
  formatMicros,
  formatMinor,
  microsPerMinor,
  type QuoteRefusal,
  type RatingSettings,
} from '@switchboard/shared';
import { type CompiledQuery, type Selectable, sql } from 'kysely';
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Db } from '../db/database';
import type { RateReservationsTable } from '../db/schema';
import type { Logger } from '../observability/logger';
import { billedSeconds, costMinor, maxDurationSeconds } from './billing';
import { insertLedgerRows, type LedgerActor, type LedgerRow } from './ledger';
import { type IndexedRate, RateIndex } from './rate-index';

/** The rate a quote or reservation applies, as the call side and the API see it. */
export interface AppliedRate {
  rateTableId: number;
  rateId: number;
  prefix: string;
  description: string | null;
  pricePerMinuteMicros: number;
  connectFeeMicros: number;
  initialIncrementS: number;
  incrementS: number;
  effectiveFrom: number;
  currency: string;
}

export interface Refusal {
  ok: false;
  reason: QuoteRefusal;
  message: string;
  /** The destination in E.164 when it parsed. */
  destination: string | null;
}

export interface Quote {
  ok: true;
  destination: string;
  /** Set when the account limits destination countries (else null: see countryOf). */
  country: string | null;
  rate: AppliedRate;
  currency: string;
  /** Balance minus open reservations. */
  availableMinor: number;
  /** The longest call the available balance pays for (increment boundary, capped by the setting). */
  maxDurationS: number;
  maxDurationMs: number;
  /** What reserve() would hold now. */
  reserveMinor: number;
}

export interface Reservation {
  ok: true;
  reservationId: number;
  destination: string;
  rate: AppliedRate;
  currency: string;
  amountMinor: number;
  maxDurationS: number;
  /** Bridge the call for at most this long; cut it then. */
  maxDurationMs: number;
  /** Play the warning prompt this long before maxDurationMs (0: none). */
  warnBeforeEndMs: number;
}

export interface Settlement {
  reservationId: number;
  subscriberId: number;
  status: 'settled' | 'released';
  billableSeconds: number;
  billedSeconds: number;
  costMinor: number;
  /** costMinor as text (`"0.42"`). */
  cost: string;
  currency: string;
  /** The reservation was settled or released before: nothing was charged this time. */
  alreadySettled: boolean;
}

export interface RatingServiceOptions {
  db: Db;
  logger: Logger;
  /** Where warnBeforeEndS and maxCallDurationS live (admin settings); defaults when absent. */
  settings?: { rating(): Promise<RatingSettings> };
  /** Reservations are this node's to recover at start-up. */
  nodeId: string;
  /** Country of national numbers without +. */
  defaultCountry: string;
  now?: () => number;
  /** How often other nodes' rate changes are picked up (default 30 s; 0: never). */
  refreshIntervalMs?: number;
}

interface AccountRow {
  id: number;
  status: 'active' | 'suspended';
  currency: string;
  balance_minor: number;
  reserved_minor: number;
  open_reservations: number;
  max_concurrent_calls: number | null;
  max_calls_per_day: number | null;
  allowed_countries: string | null;
  calls_day: string | null;
  calls_day_count: number;
  rate_table_id: number | null;
  table_currency: string | null;
}

type Destination = { e164: string; digits: string };

const E164 = /^\+[1-9][0-9]{6,14}$/;

const MAX_RESERVE_ATTEMPTS = 20;

/** A condition failed in the reservation UPDATE: roll back and look again. */
class Contended extends Error {}

const utcDay = (t: number) => new Date(t).toISOString().slice(0, 10);

/**
 * Prepaid rating: rate lookup by longest prefix, quotes, and the reservation life cycle
 * reserve → settle | release that keeps an account from spending more than it holds. See README.md.
 */
export class RatingService {
  private readonly db: Db;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly indexes = new Map<number, { version: number; index: Promise<RateIndex> }>();
  private readonly startedAt: number;
  private refreshTimer: NodeJS.Timeout | null = null;
  private cachedSettings: { value: RatingSettings; at: number } | null = null;
  private accountQuery: CompiledQuery | null = null;

  constructor(private readonly options: RatingServiceOptions) {
    this.db = options.db;
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
  }

  /** Starts the periodic check for rate tables changed by another node. */
  start(): void {
    const every = this.options.refreshIntervalMs ?? 30_000;
    if (every > 0 && !this.refreshTimer) {
      this.refreshTimer = setInterval(() => {
        this.refresh().catch((err) => this.logger.warn({ err }, 'rate table refresh failed'));
      }, every);
      this.refreshTimer.unref();
    }
  }

  stop(): void {
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    this.refreshTimer = null;
  }

  // ---- settings ---------------------------------------------------------------------------------

  /** The rating settings, read at most once a second. */
  async ratingSettings(): Promise<RatingSettings> {
    const t = this.now();
    if (this.cachedSettings && t - this.cachedSettings.at < 1000) return this.cachedSettings.value;
    const value = this.options.settings ? await this.options.settings.rating() : defaultRatingSettings;
    this.cachedSettings = { value, at: t };
    return value;
  }

  /** How long before the end of its reserved time a call plays the warning prompt (default 60 s). */
  async warnBeforeEndMs(): Promise<number> {
    return (await this.ratingSettings()).warnBeforeEndS * 1000;
  }

  /** Forget the cached settings (the admin settings route calls this after a change). */
  settingsChanged(): void {
    this.cachedSettings = null;
  }

  // ---- rate tables ------------------------------------------------------------------------------

  /** The in-memory index of a rate table, loaded on first use and after a change. */
  index(rateTableId: number): Promise<RateIndex> {
    const cached = this.indexes.get(rateTableId);
    if (cached) return cached.index;
    const index = this.loadIndex(rateTableId);
    this.indexes.set(rateTableId, { version: -1, index });
    index.catch(() => this.indexes.delete(rateTableId));
    return index;
  }

  private async loadIndex(rateTableId: number): Promise<RateIndex> {
    const table = await this.db
      .selectFrom('rate_tables')
      .select('updated_at')
      .where('id', '=', rateTableId)
      .executeTakeFirst();
    const rows = await this.db
      .selectFrom('rate_table_rates')
      .selectAll()
      .where('rate_table_id', '=', rateTableId)
      .execute();
    const index = new RateIndex(
      rows.map(
        (r): IndexedRate => ({
          id: r.id,
          rateTableId: r.rate_table_id,
          prefix: r.prefix,
          description: r.description,
          pricePerMinuteMicros: Number(r.price_per_minute_micros),
          connectFeeMicros: Number(r.connect_fee_micros),
          initialIncrementS: r.initial_increment_s,
          incrementS: r.increment_s,
          effectiveFrom: Number(r.effective_from),
        }),
      ),
    );
    const entry = this.indexes.get(rateTableId);
    if (entry) entry.version = table ? Number(table.updated_at) : 0;
    return index;
  }

  /** A rate table changed (admin API): its index is rebuilt on next use. */
  invalidate(rateTableId: number): void {
    this.indexes.delete(rateTableId);
  }

  /** Drops the indexes of tables whose updated_at moved (changed on another node) or that are gone. */
  async refresh(): Promise<void> {
    if (this.indexes.size === 0) return;
    const rows = await this.db.selectFrom('rate_tables').select(['id', 'updated_at']).execute();
    const versions = new Map(rows.map((r) => [r.id, Number(r.updated_at)]));
    for (const [id, entry] of this.indexes) {
      if (entry.version === -1) continue;
      if (versions.get(id) !== entry.version) this.indexes.delete(id);
    }
  }

  /** The rate in force for a destination in a table, or null. */
  async rateFor(rateTableId: number, destination: string, at = this.now()): Promise<IndexedRate | null> {
    const d = this.parseDestination(destination);
    if (!d) return null;
    return (await this.index(rateTableId)).lookup(d.digits, at);
  }

  // ---- quote / reserve / settle -----------------------------------------------------------------

  /**
   * E.164 and digits of a dialled number; null when it cannot be a phone number. A number already in
   * E.164 takes the fast path (no libphonenumber parse: 30–100 µs, more than the whole rating).
   */
  parseDestination(input: string): Destination | null {
    const text = input.trim();
    if (E164.test(text)) return { e164: text, digits: text.slice(1) };
    const parsed = parsePhoneNumberFromString(text, this.options.defaultCountry as CountryCode);
    if (!parsed?.isPossible()) return null;
    return { e164: parsed.number, digits: parsed.number.slice(1) };
  }

  /**
   * The country of an E.164 number (ISO code), for the allowed-destination limit: where several
   * countries share a calling code and the number matches none of their plans, the code's main one.
   */
  countryOf(e164: string): string | null {
    const parsed = parsePhoneNumberFromString(e164);
    if (!parsed) return null;
    return parsed.country ?? parsed.getPossibleCountries()[0] ?? null;
  }

  private accountQueryOf(subscriberId: number) {
    return this.db
      .selectFrom('subscribers')
      .leftJoin('plans', 'plans.id', 'subscribers.plan_id')
      .leftJoin('rate_tables', 'rate_tables.id', 'plans.rate_table_id')
      .select([
        'subscribers.id',
        'subscribers.status',
        'subscribers.currency',
        'subscribers.balance_minor',
        'subscribers.reserved_minor',
        'subscribers.open_reservations',
        'subscribers.max_concurrent_calls',
        'subscribers.max_calls_per_day',
        'subscribers.allowed_countries',
        'subscribers.calls_day',
        'subscribers.calls_day_count',
        'plans.rate_table_id',
        'rate_tables.currency as table_currency',
      ])
      .where('subscribers.id', '=', subscriberId);
  }

  /**
   * The account as rating needs it. The query is built and compiled once and run with the id as its
   * only parameter: building and compiling it per call cost as much as running it (bench/rating).
   */
  private async account(subscriberId: number): Promise<AccountRow | undefined> {
    if (!this.accountQuery) {
      const compiled = this.accountQueryOf(0).compile();
      if (compiled.parameters.length !== 1) throw new Error('account query: expected one parameter');
      this.accountQuery = compiled;
    }
    const result = await this.db.executeQuery<AccountRow>({
      ...this.accountQuery,
      parameters: [subscriberId],
    });
    return result.rows[0];
  }

  /** Everything reserve() checks, on one read of the account; no write. */
  private async evaluate(
    subscriberId: number,
    destination: string,
    at: number,
    checkLimits: boolean,
  ): Promise<{ ok: true; quote: Quote; account: AccountRow } | Refusal> {
    const d = this.parseDestination(destination);
    if (!d) return refuse('invalid_destination', `${destination} is not a phone number`, null);
    const account = await this.account(subscriberId);
    if (!account) return refuse('unknown_subscriber', 'No such subscriber', d.e164);
    if (account.status !== 'active') return refuse('suspended', 'The account is suspended', d.e164);
    let country: string | null = null;
    if (account.allowed_countries) {
      const allowed = JSON.parse(account.allowed_countries) as string[];
      country = this.countryOf(d.e164);
      if (!country || !allowed.includes(country)) {
        return refuse(
          'destination_not_allowed',
          `Calls to ${country ?? 'this destination'} are not allowed on this account`,
          d.e164,
        );
      }
    }
    if (account.rate_table_id === null || account.table_currency !== account.currency) {
      return refuse('no_rate', 'The account has no plan with rates in its currency', d.e164);
    }
    const found = (await this.index(account.rate_table_id)).lookup(d.digits, at);
    if (!found) return refuse('no_rate', `No rate for ${d.e164}`, d.e164);
    if (checkLimits) {
      if (
        account.max_concurrent_calls !== null &&
        account.open_reservations >= account.max_concurrent_calls
      ) {
        return refuse(
          'concurrent_limit',
          `The account may have ${account.max_concurrent_calls} call(s) at once`,
          d.e164,
        );
      }
      if (
        account.max_calls_per_day !== null &&
        account.calls_day === utcDay(at) &&
        account.calls_day_count >= account.max_calls_per_day
      ) {
        return refuse(
          'daily_limit',
          `The account may make ${account.max_calls_per_day} call(s) a day`,
          d.e164,
        );
      }
    }
    const unit = microsPerMinor(account.currency);
    const availableMinor = Number(account.balance_minor) - Number(account.reserved_minor);
    const { maxCallDurationS } = await this.ratingSettings();
    const maxDurationS = maxDurationSeconds(found, availableMinor, unit, maxCallDurationS);
    if (maxDurationS <= 0) {
      return refuse('insufficient_credit', 'Not enough credit for one billing increment', d.e164);
    }
    return {
      ok: true,
      account,
      quote: {
        ok: true,
        destination: d.e164,
        country,
        rate: { ...toApplied(found), currency: account.currency },
        currency: account.currency,
        availableMinor,
        maxDurationS,
        maxDurationMs: maxDurationS * 1000,
        reserveMinor: costMinor(found, maxDurationS, unit),
      },
    };
  }

  /** The rate and the longest call the available balance (balance − open reservations) allows. */
  async quote(subscriberId: number, destination: string): Promise<Quote | Refusal> {
    const r = await this.evaluate(subscriberId, destination, this.now(), true);
    return r.ok === false ? r : r.quote;
  }

  /**
   * Holds what the longest affordable call would cost, when the call starts to ring. Atomic: the
   * hold, the concurrent-call count and the day's count change in one conditional UPDATE, so calls
   * started at the same instant can never hold more than the balance nor pass a limit.
   */
  async reserve(
    subscriberId: number,
    destination: string,
    link: { callId?: number | null; legId?: number | null } = {},
  ): Promise<Reservation | Refusal> {
    for (let attempt = 0; attempt < MAX_RESERVE_ATTEMPTS; attempt++) {
      const at = this.now();
      const evaluated = await this.evaluate(subscriberId, destination, at, true);
      if (evaluated.ok === false) return evaluated;
      const { quote } = evaluated;
      const amount = quote.reserveMinor;
      const day = utcDay(at);
      try {
        const id = await this.db.transaction().execute(async (tx) => {
          const after = await claimHold(tx, subscriberId, amount, day);
          if (!after) throw new Contended();
          const r = await tx
            .insertInto('rate_reservations')
            .values({
              subscriber_id: subscriberId,
              destination: quote.destination,
              currency: quote.currency,
              rate_table_id: quote.rate.rateTableId,
              rate_id: quote.rate.rateId,
              prefix: quote.rate.prefix,
              price_per_minute_micros: quote.rate.pricePerMinuteMicros,
              connect_fee_micros: quote.rate.connectFeeMicros,
              initial_increment_s: quote.rate.initialIncrementS,
              increment_s: quote.rate.incrementS,
              amount_minor: amount,
              max_duration_s: quote.maxDurationS,
              call_id: link.callId ?? null,
              leg_id: link.legId ?? null,
              node_id: this.options.nodeId,
              created_at: at,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          await insertLedgerRows(tx, [
            {
              subscriberId,
              kind: 'reservation',
              amountMinor: 0,
              heldMinor: amount,
              balanceAfterMinor: Number(after.balance_minor),
              reservedAfterMinor: Number(after.reserved_minor),
              currency: quote.currency,
              actor: { kind: 'call', id: link.callId ?? null },
              reason: `Call to ${quote.destination}: up to ${quote.maxDurationS} s`,
              reservationId: r.id,
              callId: link.callId ?? null,
              at,
            },
          ]);
          if (link.callId) {
            await tx
              .updateTable('calls')
              .set({ subscriber_id: subscriberId })
              .where('id', '=', link.callId)
              .where('subscriber_id', 'is', null)
              .execute();
          }
          return r.id;
        });
        return {
          ok: true,
          reservationId: id,
          destination: quote.destination,
          rate: quote.rate,
          currency: quote.currency,
          amountMinor: amount,
          maxDurationS: quote.maxDurationS,
          maxDurationMs: quote.maxDurationMs,
          warnBeforeEndMs: Math.min(await this.warnBeforeEndMs(), quote.maxDurationMs),
        };
      } catch (err) {
        if (!(err instanceof Contended)) throw err;
        // Another reservation or a debit got there first: read the account again.
      }
    }
    return refuse('insufficient_credit', 'The account is busy with other calls; try again', null);
  }

  /** Links a reservation to its call and leg once they are known (reserve may come before the rows). */
  async attach(
    reservationId: number,
    link: { callId?: number | null; legId?: number | null },
  ): Promise<void> {
    const set: { call_id?: number | null; leg_id?: number | null } = {};
    if (link.callId !== undefined) set.call_id = link.callId;
    if (link.legId !== undefined) set.leg_id = link.legId;
    if (Object.keys(set).length === 0) return;
    await this.db.transaction().execute(async (tx) => {
      const r = await tx
        .updateTable('rate_reservations')
        .set(set)
        .where('id', '=', reservationId)
        .returning(['subscriber_id'])
        .executeTakeFirst();
      if (r && link.callId) {
        await tx
          .updateTable('calls')
          .set({ subscriber_id: r.subscriber_id })
          .where('id', '=', link.callId)
          .where('subscriber_id', 'is', null)
          .execute();
      }
    });
  }

  /**
   * Charges the call's real cost (billable seconds rounded up by the increments, at the reserved
   * rate, never more than was reserved) and releases the rest. Exactly once: settling or releasing
   * a reservation again charges nothing and answers the first outcome (`alreadySettled`).
   */
  async settle(
    reservationId: number,
    billableSeconds: number,
    options: { legId?: number | null; actor?: LedgerActor; settledBy?: 'call' | 'recovery' } = {},
  ): Promise<Settlement> {
    if (!Number.isFinite(billableSeconds) || billableSeconds < 0) {
      throw new RangeError(`billableSeconds must be 0 or more, not ${billableSeconds}`);
    }
    return this.close(reservationId, Math.ceil(billableSeconds), options);
  }

  /** Gives the whole hold back: the call never connected (or is not to be charged). */
  async release(reservationId: number, options: { actor?: LedgerActor } = {}): Promise<Settlement> {
    return this.close(reservationId, 0, { ...options, settledBy: 'release' });
  }

  private async close(
    reservationId: number,
    billable: number,
    options: { legId?: number | null; actor?: LedgerActor; settledBy?: 'call' | 'recovery' | 'release' },
  ): Promise<Settlement> {
    const at = this.now();
    return this.db.transaction().execute(async (tx) => {
      const r = await tx
        .selectFrom('rate_reservations')
        .selectAll()
        .where('id', '=', reservationId)
        .executeTakeFirst();
      if (!r) throw new RangeError(`No reservation ${reservationId}`);
      const unit = microsPerMinor(r.currency);
      const rate = {
        pricePerMinuteMicros: Number(r.price_per_minute_micros),
        connectFeeMicros: Number(r.connect_fee_micros),
        initialIncrementS: r.initial_increment_s,
        incrementS: r.increment_s,
      };
      const amount = Number(r.amount_minor);
      if (r.status !== 'open') return settlementOf(r, true);
      const seconds = Math.min(billable, r.max_duration_s);
      const cost = Math.min(costMinor(rate, seconds, unit), amount);
      const status = cost === 0 && billable === 0 ? 'released' : 'settled';
      // The claim: only one settle of this reservation gets past this UPDATE.
      const claimed = await tx
        .updateTable('rate_reservations')
        .set({
          status,
          settled_at: at,
          billable_s: seconds,
          cost_minor: cost,
          settled_by: options.settledBy ?? 'call',
          ...(options.legId ? { leg_id: options.legId } : {}),
        })
        .where('id', '=', reservationId)
        .where('status', '=', 'open')
        .returning('id')
        .executeTakeFirst();
      if (!claimed) {
        const again = await tx
          .selectFrom('rate_reservations')
          .selectAll()
          .where('id', '=', reservationId)
          .executeTakeFirstOrThrow();
        return settlementOf(again, true);
      }
      const after = await chargeHold(tx, r.subscriber_id, cost, amount);
      const actor = options.actor ?? { kind: 'call', id: r.call_id };
      await insertLedgerRows(
        tx,
        settlementLedgerRows(r, { cost, seconds, rate, at, actor, settledBy: options.settledBy, ...after }),
      );
      const legId = options.legId ?? r.leg_id;
      if (legId) {
        await tx
          .updateTable('call_legs')
          .set({ cost_micros: cost * unit, cost_currency: r.currency })
          .where('id', '=', legId)
          .execute();
      }
      return {
        reservationId,
        subscriberId: r.subscriber_id,
        status,
        billableSeconds: seconds,
        billedSeconds: billedSeconds(rate, seconds),
        costMinor: cost,
        cost: formatMinor(cost, r.currency),
        currency: r.currency,
        alreadySettled: false,
      };
    });
  }

  /**
   * Start-up recovery: every reservation this node left open before it started belongs to a call a
   * crash cut off. Each is settled from its call's records — the leg's (or else the call's)
   * answered_at to ended_at, capped by what was reserved — or released when the call never
   * connected or left no record. Settling is exactly-once, so running this twice charges nothing
   * twice. Run it after the call records' own recovery (which closes the calls).
   */
  async settleOpen(): Promise<{ settled: number; released: number }> {
    const open = await this.db
      .selectFrom('rate_reservations')
      .leftJoin('call_legs', 'call_legs.id', 'rate_reservations.leg_id')
      .leftJoin('calls', 'calls.id', 'rate_reservations.call_id')
      .select([
        'rate_reservations.id',
        'rate_reservations.leg_id',
        'rate_reservations.call_id',
        'call_legs.answered_at as leg_answered_at',
        'call_legs.ended_at as leg_ended_at',
        'calls.answered_at as call_answered_at',
        'calls.ended_at as call_ended_at',
      ])
      .where('rate_reservations.status', '=', 'open')
      .where('rate_reservations.created_at', '<', this.startedAt)
      .where((eb) =>
        eb.or([
          eb('rate_reservations.node_id', '=', this.options.nodeId),
          eb('rate_reservations.node_id', 'is', null),
        ]),
      )
      .execute();
    let settled = 0;
    let released = 0;
    const actor: LedgerActor = { kind: 'system', id: null };
    for (const r of open) {
      let answered: number | null = null;
      let ended: number | null = null;
      if (r.leg_id !== null && r.leg_answered_at !== undefined) {
        answered = r.leg_answered_at;
        ended = r.leg_ended_at ?? r.call_ended_at ?? null;
      } else if (r.call_id !== null) {
        answered = r.call_answered_at ?? null;
        ended = r.call_ended_at ?? null;
      }
      if (answered !== null && answered !== undefined) {
        // A call still open has no end on record: the last moment we can vouch for is now.
        const end = ended ?? this.now();
        const seconds = Math.max(0, Math.ceil((Number(end) - Number(answered)) / 1000));
        const s = await this.settle(r.id, seconds, { actor, settledBy: 'recovery' });
        if (s.status === 'settled') settled++;
        else released++;
      } else {
        await this.close(r.id, 0, { actor, settledBy: 'recovery' });
        released++;
      }
    }
    if (open.length) this.logger.warn({ settled, released }, 'open reservations settled at start-up');
    return { settled, released };
  }
}

/**
 * The hold, the concurrent-call count and the day's call count in one conditional UPDATE: undefined
 * when the balance, a limit or the account's status does not allow the call (or it lost a race).
 */
function claimHold(db: Db, subscriberId: number, amount: number, day: string) {
  return db
    .updateTable('subscribers')
    .set((eb) => ({
      reserved_minor: eb('reserved_minor', '+', amount),
      open_reservations: eb('open_reservations', '+', 1),
      calls_day: day,
      calls_day_count: sql<number>`case when calls_day = ${day} then calls_day_count + 1 else 1 end`,
    }))
    .where('id', '=', subscriberId)
    .where('status', '=', 'active')
    .where(sql<number>`balance_minor - reserved_minor`, '>=', amount)
    .where((eb) =>
      eb.or([
        eb('max_concurrent_calls', 'is', null),
        eb('open_reservations', '<', eb.ref('max_concurrent_calls')),
      ]),
    )
    .where((eb) =>
      eb.or([
        eb('max_calls_per_day', 'is', null),
        eb('calls_day', 'is', null),
        eb('calls_day', '<>', day),
        eb('calls_day_count', '<', eb.ref('max_calls_per_day')),
      ]),
    )
    .returning(['balance_minor', 'reserved_minor'])
    .executeTakeFirst();
}

/** Takes the cost from the balance and gives the whole hold back; the balances after. */
async function chargeHold(db: Db, subscriberId: number, cost: number, amount: number) {
  const after = await db
    .updateTable('subscribers')
    .set((eb) => ({
      balance_minor: eb('balance_minor', '-', cost),
      reserved_minor: eb('reserved_minor', '-', amount),
      open_reservations: eb('open_reservations', '-', 1),
    }))
    .where('id', '=', subscriberId)
    .returning(['balance_minor', 'reserved_minor'])
    .executeTakeFirstOrThrow();
  return { balanceAfter: Number(after.balance_minor), reservedAfter: Number(after.reserved_minor) };
}

/** The ledger's account of a settlement: the debit for what was used, the release of the rest. */
function settlementLedgerRows(
  r: Selectable<RateReservationsTable>,
  s: {
    cost: number;
    seconds: number;
    rate: Parameters<typeof billedSeconds>[0];
    at: number;
    actor: LedgerActor;
    settledBy: 'call' | 'recovery' | 'release' | undefined;
    balanceAfter: number;
    reservedAfter: number;
  },
): LedgerRow[] {
  const { cost, seconds, balanceAfter, reservedAfter } = s;
  const amount = Number(r.amount_minor);
  const rows: LedgerRow[] = [];
  const base = {
    subscriberId: r.subscriber_id,
    currency: r.currency,
    actor: s.actor,
    reservationId: r.id,
    callId: r.call_id,
    at: s.at,
  };
  const how = s.settledBy === 'recovery' ? ' (settled at start-up from the call records)' : '';
  if (cost > 0) {
    rows.push({
      ...base,
      kind: 'call_debit',
      amountMinor: -cost,
      heldMinor: -cost,
      balanceAfterMinor: balanceAfter,
      reservedAfterMinor: reservedAfter + (amount - cost),
      reason: `Call to ${r.destination}: ${seconds} s, billed ${billedSeconds(s.rate, seconds)} s${how}`,
    });
  }
  if (amount - cost > 0 || cost === 0) {
    rows.push({
      ...base,
      kind: 'release',
      amountMinor: 0,
      heldMinor: -(amount - cost),
      balanceAfterMinor: balanceAfter,
      reservedAfterMinor: reservedAfter,
      reason:
        cost === 0
          ? `Call to ${r.destination}: not charged${how}`
          : `Call to ${r.destination}: unused reservation${how}`,
    });
  }
  return rows;
}

function refuse(reason: QuoteRefusal, message: string, destination: string | null): Refusal {
  return { ok: false, reason, message, destination };
}

function toApplied(r: IndexedRate): Omit<AppliedRate, 'currency'> {
  return {
    rateTableId: r.rateTableId,
    rateId: r.id,
    prefix: r.prefix,
    description: r.description,
    pricePerMinuteMicros: r.pricePerMinuteMicros,
    connectFeeMicros: r.connectFeeMicros,
    initialIncrementS: r.initialIncrementS,
    incrementS: r.incrementS,
    effectiveFrom: r.effectiveFrom,
  };
}

function settlementOf(
  r: {
    id: number;
    subscriber_id: number;
    status: string;
    billable_s: number | null;
    cost_minor: number | null;
    currency: string;
    initial_increment_s: number;
    increment_s: number;
  },
  alreadySettled: boolean,
): Settlement {
  const cost = Number(r.cost_minor ?? 0);
  const seconds = r.billable_s ?? 0;
  return {
    reservationId: r.id,
    subscriberId: r.subscriber_id,
    status: r.status === 'released' ? 'released' : 'settled',
    billableSeconds: seconds,
    billedSeconds: billedSeconds(
      {
        initialIncrementS: r.initial_increment_s,
        incrementS: r.increment_s,
        pricePerMinuteMicros: 0,
        connectFeeMicros: 0,
      },
      seconds,
    ),
    costMinor: cost,
    cost: formatMinor(cost, r.currency),
    currency: r.currency,
    alreadySettled,
  };
}

/** A rate as the API shows it: prices as decimal text. */
export function describeRate(rate: AppliedRate) {
  return {
    rateTableId: rate.rateTableId,
    rateId: rate.rateId,
    prefix: rate.prefix,
    description: rate.description,
    pricePerMinute: formatMicros(rate.pricePerMinuteMicros),
    connectFee: formatMicros(rate.connectFeeMicros),
    initialIncrementS: rate.initialIncrementS,
    incrementS: rate.incrementS,
    effectiveFrom: rate.effectiveFrom,
    currency: rate.currency,
  };
}
