import {
  type CallerId,
  formatMinor,
  type LedgerEntry,
  type PortalCall,
  type SubscriberAccount,
  type SubscriberLimits,
  type SubscriberStatus,
  toE164,
} from '@switchboard/shared';
import { type Kysely, type SqlBool, sql } from 'kysely';
import type { CountryCode } from 'libphonenumber-js';
import { type AuditEntry, recordAudit } from '../audit/audit-log';
import { hashPassword, verifyPassword } from '../auth/password';
import type { Db } from '../db/database';
import type { Database } from '../db/schema';
import { changeBalance, type LedgerActor } from '../rating/ledger';

/** A refused account change, with the HTTP status and field the API reports it under. */
export class AccountError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
    this.name = 'AccountError';
  }
}

export type Actor = LedgerActor & { kind: 'user' | 'subscriber' | 'system' | 'call' };

type SubscriberRow = Awaited<ReturnType<ReturnType<typeof baseQuery>['execute']>>[number];

function toAccount(r: SubscriberRow): SubscriberAccount {
  const balance = Number(r.balance_minor);
  const reserved = Number(r.reserved_minor);
  return {
    id: r.id,
    phoneNumber: r.phone_number,
    accountNumber: r.phone_number,
    displayName: r.display_name,
    status: r.status,
    currency: r.currency,
    balance: formatMinor(balance, r.currency),
    reserved: formatMinor(reserved, r.currency),
    available: formatMinor(balance - reserved, r.currency),
    balanceMinor: balance,
    availableMinor: balance - reserved,
    callbackNumber: r.callback_number
      ? { countryCode: r.callback_country ?? '', areaCode: r.callback_area ?? '', number: r.callback_number }
      : null,
    plan:
      r.plan_id !== null && r.plan_name !== null && r.plan_rate_table_id !== null
        ? { id: r.plan_id, name: r.plan_name, rateTableId: r.plan_rate_table_id }
        : null,
    limits: {
      maxConcurrentCalls: r.max_concurrent_calls,
      maxCallsPerDay: r.max_calls_per_day,
      allowedCountries: r.allowed_countries ? (JSON.parse(r.allowed_countries) as string[]) : null,
    },
    pinSet: r.pin_hash !== null,
    createdAt: Number(r.created_at),
  };
}

export interface CreateSubscriber {
  accountNumber: string;
  displayName: string;
  password: string;
  pin: string | null;
  currency: string;
  planId: number | null;
  status: SubscriberStatus;
  limits: Partial<SubscriberLimits>;
}

export interface UpdateSubscriber {
  displayName?: string;
  status?: SubscriberStatus;
  planId?: number;
  limits?: Partial<SubscriberLimits>;
  password?: string;
  pin?: string | null;
}

/**
 * Prepaid subscriber accounts: the account fields, money through the ledger, PIN and
 * authorized caller IDs. Used by the portal and admin APIs and by the call side (PIN check,
 * caller-ID authorization, docs/callback-services.md). Every change is
 * audited in the transaction that makes it.
 */
export class SubscriberAccounts {
  constructor(
    private readonly db: Db,
    private readonly defaultCountry: string,
    private readonly now: () => number = Date.now,
  ) {}

  private async audit(tx: Kysely<Database>, actor: Actor, entry: Omit<AuditEntry, 'actor'>): Promise<void> {
    const kind = actor.kind === 'call' ? 'system' : actor.kind;
    await recordAudit(tx, { actor: { kind, id: actor.id }, ...entry }, this.now());
  }

  async get(id: number): Promise<SubscriberAccount | null> {
    const rows = await selectSubscribersWhere(this.db, (q) => q.where('subscribers.id', '=', id));
    return rows[0] ? toAccount(rows[0]) : null;
  }

  async require(id: number): Promise<SubscriberAccount> {
    const a = await this.get(id);
    if (!a) throw new AccountError(404, 'No such subscriber');
    return a;
  }

  async list(options: { search?: string; status?: SubscriberStatus; page: number; pageSize: number }) {
    const apply = (q: ReturnType<typeof baseQuery>) => {
      let out = q;
      if (options.search) {
        const s = `%${options.search.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
        out = out.where((eb) =>
          eb.or([
            sql<SqlBool>`lower(subscribers.display_name) like ${s} escape '\\'`,
            sql<SqlBool>`subscribers.phone_number like ${s} escape '\\'`,
          ]),
        );
      }
      if (options.status) out = out.where('subscribers.status', '=', options.status);
      return out;
    };
    const base = baseQuery(this.db);
    const rows = await apply(base)
      .orderBy('subscribers.id', 'desc')
      .limit(options.pageSize)
      .offset((options.page - 1) * options.pageSize)
      .execute();
    const count = await apply(base)
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return { subscribers: rows.map(toAccount), total: Number(count.n) };
  }

  /** The plan a new account gets: the named one (its table must be in the account's currency) or the currency's default. */
  private async resolvePlan(tx: Kysely<Database>, planId: number | null, currency: string): Promise<number> {
    if (planId !== null) {
      const plan = await tx
        .selectFrom('plans')
        .innerJoin('rate_tables', 'rate_tables.id', 'plans.rate_table_id')
        .select(['plans.id', 'rate_tables.currency'])
        .where('plans.id', '=', planId)
        .executeTakeFirst();
      if (!plan) throw new AccountError(400, 'No such plan', 'planId');
      if (plan.currency !== currency) {
        throw new AccountError(
          400,
          `The plan's rates are in ${plan.currency}, the account is in ${currency}`,
          'planId',
        );
      }
      return plan.id;
    }
    const plan = await tx
      .selectFrom('plans')
      .innerJoin('rate_tables', 'rate_tables.id', 'plans.rate_table_id')
      .select('plans.id')
      .where('rate_tables.currency', '=', currency)
      .orderBy('plans.id')
      .executeTakeFirst();
    if (!plan) {
      throw new AccountError(
        400,
        `No plan has rates in ${currency}: create a rate table and plan first`,
        'currency',
      );
    }
    return plan.id;
  }

  async create(input: CreateSubscriber, actor: Actor): Promise<number> {
    const now = this.now();
    const taken = await this.db
      .selectFrom('subscribers')
      .select('id')
      .where('phone_number', '=', input.accountNumber)
      .executeTakeFirst();
    if (taken) throw new AccountError(409, `Account number ${input.accountNumber} is taken`, 'accountNumber');
    const passwordHash = await hashPassword(input.password);
    const pinHash = input.pin ? await hashPassword(input.pin) : null;
    try {
      return await this.db.transaction().execute(async (tx) => {
        const planId = await this.resolvePlan(tx, input.planId, input.currency);
        const row = await tx
          .insertInto('subscribers')
          .values({
            phone_number: input.accountNumber,
            display_name: input.displayName,
            password_hash: passwordHash,
            pin_hash: pinHash,
            currency: input.currency,
            balance_minor: 0,
            status: input.status,
            plan_id: planId,
            max_concurrent_calls: input.limits.maxConcurrentCalls ?? null,
            max_calls_per_day: input.limits.maxCallsPerDay ?? null,
            allowed_countries: input.limits.allowedCountries
              ? JSON.stringify(input.limits.allowedCountries)
              : null,
            callback_country: null,
            callback_area: null,
            callback_number: null,
            created_at: now,
            updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await this.audit(tx, actor, {
          action: 'subscriber.create',
          entity: 'subscriber',
          entityId: row.id,
          after: {
            accountNumber: input.accountNumber,
            displayName: input.displayName,
            currency: input.currency,
            planId,
            status: input.status,
            limits: input.limits,
            pinSet: pinHash !== null,
          },
        });
        return row.id;
      });
    } catch (err) {
      if (isUnique(err))
        throw new AccountError(409, `Account number ${input.accountNumber} is taken`, 'accountNumber');
      throw err;
    }
  }

  async update(id: number, input: UpdateSubscriber, actor: Actor): Promise<void> {
    const before = await this.require(id);
    const passwordHash = input.password !== undefined ? await hashPassword(input.password) : undefined;
    const pinHash =
      input.pin === undefined ? undefined : input.pin === null ? null : await hashPassword(input.pin);
    await this.db.transaction().execute(async (tx) => {
      const set: Record<string, unknown> = { updated_at: this.now() };
      if (input.displayName !== undefined) set.display_name = input.displayName;
      if (input.status !== undefined) set.status = input.status;
      if (input.planId !== undefined) set.plan_id = await this.resolvePlan(tx, input.planId, before.currency);
      if (input.limits?.maxConcurrentCalls !== undefined)
        set.max_concurrent_calls = input.limits.maxConcurrentCalls;
      if (input.limits?.maxCallsPerDay !== undefined) set.max_calls_per_day = input.limits.maxCallsPerDay;
      if (input.limits?.allowedCountries !== undefined) {
        set.allowed_countries = input.limits.allowedCountries
          ? JSON.stringify(input.limits.allowedCountries)
          : null;
      }
      if (passwordHash !== undefined) set.password_hash = passwordHash;
      if (pinHash !== undefined) set.pin_hash = pinHash;
      await tx.updateTable('subscribers').set(set).where('id', '=', id).execute();
      // A password reset ends the subscriber's portal sessions: the next request needs the new one.
      if (passwordHash !== undefined)
        await tx.deleteFrom('sessions').where('subscriber_id', '=', id).execute();
      const action =
        input.status === 'suspended' && before.status !== 'suspended'
          ? 'subscriber.suspend'
          : input.status === 'active' && before.status !== 'active'
            ? 'subscriber.activate'
            : 'subscriber.update';
      await this.audit(tx, actor, {
        action,
        entity: 'subscriber',
        entityId: id,
        before: {
          displayName: before.displayName,
          status: before.status,
          planId: before.plan?.id ?? null,
          limits: before.limits,
        },
        after: {
          ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
          ...(input.status !== undefined ? { status: input.status } : {}),
          ...(input.planId !== undefined ? { planId: input.planId } : {}),
          ...(input.limits !== undefined ? { limits: input.limits } : {}),
          ...(input.password !== undefined ? { passwordReset: true } : {}),
          ...(input.pin !== undefined
            ? { pinReset: input.pin !== null, pinRemoved: input.pin === null }
            : {}),
        },
      });
    });
  }

  /**
   * A top-up or an adjustment with its reason, in the ledger and the audit log together. A debit
   * that would take the balance below what calls in progress reserved is refused (409).
   */
  async credit(
    id: number,
    change: {
      amountMinor: number;
      kind: 'top_up' | 'adjustment';
      direction: 'credit' | 'debit';
      reason: string;
    },
    actor: Actor,
  ): Promise<{ balanceMinor: number; reservedMinor: number; currency: string }> {
    if (!Number.isSafeInteger(change.amountMinor) || change.amountMinor <= 0) {
      throw new AccountError(400, 'The amount must be more than 0', 'amount');
    }
    const signed = change.direction === 'debit' ? -change.amountMinor : change.amountMinor;
    return this.db.transaction().execute(async (tx) => {
      const after = await changeBalance(tx, {
        subscriberId: id,
        kind: change.kind,
        amountMinor: signed,
        actor,
        reason: change.reason,
        at: this.now(),
      });
      if (!after) {
        const exists = await tx
          .selectFrom('subscribers')
          .select('id')
          .where('id', '=', id)
          .executeTakeFirst();
        if (!exists) throw new AccountError(404, 'No such subscriber');
        throw new AccountError(409, 'The debit is more than the available balance', 'amount');
      }
      await this.audit(tx, actor, {
        action: change.kind === 'top_up' ? 'subscriber.top_up' : 'subscriber.adjust',
        entity: 'subscriber',
        entityId: id,
        after: {
          amount: formatMinor(signed, after.currency),
          currency: after.currency,
          reason: change.reason,
          balance: formatMinor(after.balanceMinor, after.currency),
        },
      });
      return after;
    });
  }

  async ledger(
    id: number,
    page: number,
    pageSize: number,
  ): Promise<{ entries: LedgerEntry[]; total: number }> {
    const rows = await this.db
      .selectFrom('subscriber_ledger')
      .leftJoin('users', (j) =>
        j
          .onRef('users.id', '=', 'subscriber_ledger.actor_id')
          .on('subscriber_ledger.actor_kind', '=', 'user'),
      )
      .select([
        'subscriber_ledger.id',
        'subscriber_ledger.kind',
        'subscriber_ledger.amount_minor',
        'subscriber_ledger.held_minor',
        'subscriber_ledger.balance_after_minor',
        'subscriber_ledger.reserved_after_minor',
        'subscriber_ledger.currency',
        'subscriber_ledger.reason',
        'subscriber_ledger.actor_kind',
        'subscriber_ledger.actor_id',
        'users.display_name as actor_name',
        'subscriber_ledger.reservation_id',
        'subscriber_ledger.call_id',
        'subscriber_ledger.created_at',
      ])
      .where('subscriber_ledger.subscriber_id', '=', id)
      .orderBy('subscriber_ledger.id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
    const count = await this.db
      .selectFrom('subscriber_ledger')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('subscriber_id', '=', id)
      .executeTakeFirstOrThrow();
    return {
      total: Number(count.n),
      entries: rows.map((r) => {
        const balance = Number(r.balance_after_minor);
        const reserved = Number(r.reserved_after_minor);
        return {
          id: r.id,
          kind: r.kind,
          amount: formatMinor(Number(r.amount_minor), r.currency),
          held: formatMinor(Number(r.held_minor), r.currency),
          balanceAfter: formatMinor(balance, r.currency),
          availableAfter: formatMinor(balance - reserved, r.currency),
          currency: r.currency,
          reason: r.reason,
          actor: {
            kind: r.actor_kind,
            id: r.actor_id,
            name:
              r.actor_kind === 'user' ? (r.actor_name ?? null) : r.actor_kind === 'subscriber' ? 'You' : null,
          },
          reservationId: r.reservation_id,
          callId: r.call_id,
          createdAt: Number(r.created_at),
        };
      }),
    };
  }

  /** The subscriber's calls, newest first, with what each cost the account (its settled reservations). */
  async calls(id: number, page: number, pageSize: number): Promise<{ calls: PortalCall[]; total: number }> {
    const account = await this.require(id);
    const rows = await this.db
      .selectFrom('calls')
      .select([
        'calls.id',
        'calls.started_at',
        'calls.answered_at',
        'calls.ended_at',
        'calls.duration_s',
        'calls.caller_number',
        'calls.called_number',
        'calls.customer_number',
        'calls.disposition',
        'calls.status',
        (eb) =>
          eb
            .selectFrom('rate_reservations')
            .select(sql<number | null>`sum(cost_minor)`.as('c'))
            .whereRef('rate_reservations.call_id', '=', 'calls.id')
            .where('rate_reservations.status', '<>', 'open')
            .as('cost_minor'),
      ])
      .where('calls.subscriber_id', '=', id)
      .orderBy('calls.started_at', 'desc')
      .orderBy('calls.id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
    const count = await this.db
      .selectFrom('calls')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('subscriber_id', '=', id)
      .executeTakeFirstOrThrow();
    return {
      total: Number(count.n),
      calls: rows.map((r) => ({
        id: r.id,
        startedAt: Number(r.started_at),
        answeredAt: r.answered_at === null ? null : Number(r.answered_at),
        endedAt: r.ended_at === null ? null : Number(r.ended_at),
        durationS: r.duration_s,
        callerNumber: r.caller_number,
        destination: r.called_number ?? r.customer_number,
        disposition: r.disposition,
        cost:
          r.cost_minor === null || r.cost_minor === undefined
            ? null
            : formatMinor(Number(r.cost_minor), account.currency),
        currency: account.currency,
      })),
    };
  }

  // ---- PIN and password -------------------------------------------------------------------------

  /** The IVR's PIN check. False when no PIN is set. */
  async verifyPin(id: number, pin: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('subscribers')
      .select('pin_hash')
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row?.pin_hash || !/^[0-9]{4,10}$/.test(pin)) return false;
    return verifyPassword(pin, row.pin_hash);
  }

  async verifyPortalPassword(id: number, password: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('subscribers')
      .select('password_hash')
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? verifyPassword(password, row.password_hash) : false;
  }

  async setPin(id: number, pin: string, actor: Actor): Promise<void> {
    if (!/^[0-9]{4,10}$/.test(pin)) throw new AccountError(400, 'A PIN is 4 to 10 digits', 'pin');
    const hash = await hashPassword(pin);
    await this.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('subscribers')
        .set({ pin_hash: hash, updated_at: this.now() })
        .where('id', '=', id)
        .execute();
      await this.audit(tx, actor, { action: 'subscriber.pin_change', entity: 'subscriber', entityId: id });
    });
  }

  async setPassword(id: number, password: string, actor: Actor): Promise<void> {
    const hash = await hashPassword(password);
    await this.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('subscribers')
        .set({ password_hash: hash, updated_at: this.now() })
        .where('id', '=', id)
        .execute();
      await this.audit(tx, actor, {
        action: 'subscriber.password_change',
        entity: 'subscriber',
        entityId: id,
      });
    });
  }

  // ---- authorized caller IDs --------------------------------------------------------------------

  /** A number typed by a person or sent by the network, as E.164; refused (400) when it is not one. */
  normalizeCallerId(input: string): string {
    const e164 = toE164(input, this.defaultCountry as CountryCode);
    if (!e164) throw new AccountError(400, `${input} is not a phone number`, 'number');
    return e164;
  }

  async callerIds(id: number): Promise<CallerId[]> {
    const rows = await this.db
      .selectFrom('subscriber_caller_ids')
      .select(['id', 'number', 'created_at'])
      .where('subscriber_id', '=', id)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ id: r.id, number: r.number, createdAt: Number(r.created_at) }));
  }

  /**
   * Authorizes a caller ID for the account: from the portal, by an administrator, or by the IVR after
   * a correct PIN. Unique across subscribers: one owned by another account is a
   * 409 that does not say whose it is.
   */
  async addCallerId(id: number, input: string, actor: Actor): Promise<CallerId> {
    const number = this.normalizeCallerId(input);
    const owner = await this.db
      .selectFrom('subscriber_caller_ids')
      .select('subscriber_id')
      .where('number', '=', number)
      .executeTakeFirst();
    if (owner) {
      throw new AccountError(
        409,
        owner.subscriber_id === id
          ? `${number} is already in the list`
          : `${number} is already authorized for another account`,
        'number',
      );
    }
    try {
      return await this.db.transaction().execute(async (tx) => {
        const exists = await tx
          .selectFrom('subscribers')
          .select('id')
          .where('id', '=', id)
          .executeTakeFirst();
        if (!exists) throw new AccountError(404, 'No such subscriber');
        const now = this.now();
        const row = await tx
          .insertInto('subscriber_caller_ids')
          .values({ subscriber_id: id, number, created_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        await this.audit(tx, actor, {
          action: 'subscriber.caller_id_add',
          entity: 'subscriber',
          entityId: id,
          after: { number },
        });
        return { id: row.id, number, createdAt: now };
      });
    } catch (err) {
      if (isUnique(err))
        throw new AccountError(409, `${number} is already authorized for another account`, 'number');
      throw err;
    }
  }

  /** Removes a caller ID by its id or its number; 404 when the account has no such caller ID. */
  async removeCallerId(id: number, which: { id: number } | { number: string }, actor: Actor): Promise<void> {
    const number = 'number' in which ? this.normalizeCallerId(which.number) : null;
    await this.db.transaction().execute(async (tx) => {
      let q = tx.deleteFrom('subscriber_caller_ids').where('subscriber_id', '=', id);
      q = 'id' in which ? q.where('id', '=', which.id) : q.where('number', '=', number!);
      const deleted = await q.returning('number').executeTakeFirst();
      if (!deleted) throw new AccountError(404, 'No such caller ID on this account');
      await this.audit(tx, actor, {
        action: 'subscriber.caller_id_remove',
        entity: 'subscriber',
        entityId: id,
        before: { number: deleted.number },
      });
    });
  }

  /** The account a caller ID is authorized for. */
  async findByCallerId(input: string): Promise<number | null> {
    const number = toE164(input, this.defaultCountry as CountryCode);
    if (!number) return null;
    const row = await this.db
      .selectFrom('subscriber_caller_ids')
      .select('subscriber_id')
      .where('number', '=', number)
      .executeTakeFirst();
    return row?.subscriber_id ?? null;
  }
}

function baseQuery(db: Db) {
  return db
    .selectFrom('subscribers')
    .leftJoin('plans', 'plans.id', 'subscribers.plan_id')
    .select([
      'subscribers.id',
      'subscribers.phone_number',
      'subscribers.display_name',
      'subscribers.status',
      'subscribers.currency',
      'subscribers.balance_minor',
      'subscribers.reserved_minor',
      'subscribers.callback_country',
      'subscribers.callback_area',
      'subscribers.callback_number',
      'subscribers.pin_hash',
      'subscribers.plan_id',
      'plans.name as plan_name',
      'plans.rate_table_id as plan_rate_table_id',
      'subscribers.max_concurrent_calls',
      'subscribers.max_calls_per_day',
      'subscribers.allowed_countries',
      'subscribers.created_at',
    ]);
}

function selectSubscribersWhere(
  db: Db,
  where: (q: ReturnType<typeof baseQuery>) => ReturnType<typeof baseQuery>,
): Promise<SubscriberRow[]> {
  return where(baseQuery(db)).execute();
}

function isUnique(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint/i.test(e?.message ?? '')
  );
}
