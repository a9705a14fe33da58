import type {
  CallbackRequest,
  CallbackService,
  CallbackServiceInput,
  CallbackServiceUpdate,
  PortalSmsRequest,
} from '@switchboard/shared';
import type { Selectable, Updateable } from 'kysely';
import { recordAudit } from '../audit/audit-log';
import { hashPassword, verifyPassword } from '../auth/password';
import type { Db } from '../db/database';
import type { CallbackRequestStatus, CallbackRequestsTable, CallbackServicesTable } from '../db/schema';

export type CallbackServiceRow = Selectable<CallbackServicesTable>;

/** Who changed a service (an administrator, or the system for demo data). */
export interface StoreActor {
  kind: 'user' | 'system';
  id: number | null;
}

/** A setting that points at something missing (a trunk, an extension, a subscriber). */
export class CallbackServiceError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

function jsonList(text: string | null): string[] {
  try {
    const v: unknown = JSON.parse(text ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export function toCallbackService(r: CallbackServiceRow): CallbackService {
  return {
    id: r.id,
    name: r.name,
    enabled: r.enabled === 1,
    accessNumber: r.access_number,
    trigger: r.trigger,
    ringSeconds: r.ring_ms / 1000,
    triggerPrompt: r.trigger_prompt,
    delayS: r.delay_ms / 1000,
    method: r.method,
    number: r.number,
    extension: r.extension,
    trunkId: r.trunk_id,
    callerId: r.caller_id,
    security: r.security,
    hasServicePassword: r.service_password_hash !== null,
    subscriberId: r.subscriber_id,
    announceBalance: r.announce_balance === 1,
    creditQuery: r.credit_query === 1,
    firstDigitTimeoutS: r.first_digit_timeout_ms / 1000,
    interDigitTimeoutS: r.inter_digit_timeout_ms / 1000,
    maxAttempts: r.max_attempts,
    disconnectSequence: r.disconnect_sequence,
    zeroCreditPrompt: r.credit_exhausted_prompt,
    maxConcurrent: r.max_concurrent,
    maxPerHour: r.max_per_hour,
    subscriberMaxConcurrent: r.subscriber_max_concurrent,
    subscriberMaxPerHour: r.subscriber_max_per_hour,
    allowedCountries: jsonList(r.allowed_countries),
    blockedPrefixes: jsonList(r.blocked_prefixes),
    hasSmsSecret: r.sms_secret !== null,
    smsReplyUrl: r.sms_reply_url,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

/** The columns for the settings present in `input` (a full input or a partial update). */
async function columns(input: CallbackServiceUpdate): Promise<Updateable<CallbackServicesTable>> {
  const c: Updateable<CallbackServicesTable> = {};
  const flag = (b: boolean) => (b ? 1 : 0);
  // Timings are seconds in the API, stored as whole milliseconds.
  const ms = (seconds: number) => Math.round(seconds * 1000);
  if (input.name !== undefined) c.name = input.name;
  if (input.enabled !== undefined) c.enabled = flag(input.enabled);
  if (input.accessNumber !== undefined) c.access_number = input.accessNumber;
  if (input.trigger !== undefined) c.trigger = input.trigger;
  if (input.ringSeconds !== undefined) c.ring_ms = ms(input.ringSeconds);
  if (input.triggerPrompt !== undefined) c.trigger_prompt = input.triggerPrompt;
  if (input.delayS !== undefined) c.delay_ms = ms(input.delayS);
  if (input.method !== undefined) {
    c.method = input.method;
    c.authorized_only = flag(input.method === 'call_authorized');
  }
  if (input.number !== undefined) c.number = input.number;
  if (input.extension !== undefined) c.extension = input.extension;
  if (input.trunkId !== undefined) c.trunk_id = input.trunkId;
  if (input.callerId !== undefined) c.caller_id = input.callerId;
  if (input.security !== undefined) {
    c.security = input.security;
    c.ask_pin = flag(input.security === 'pin');
  }
  if (input.servicePassword !== undefined)
    c.service_password_hash =
      input.servicePassword === null ? null : await hashPassword(input.servicePassword);
  if (input.subscriberId !== undefined) c.subscriber_id = input.subscriberId;
  if (input.announceBalance !== undefined) c.announce_balance = flag(input.announceBalance);
  if (input.creditQuery !== undefined) c.credit_query = flag(input.creditQuery);
  if (input.firstDigitTimeoutS !== undefined) c.first_digit_timeout_ms = ms(input.firstDigitTimeoutS);
  if (input.interDigitTimeoutS !== undefined) c.inter_digit_timeout_ms = ms(input.interDigitTimeoutS);
  if (input.maxAttempts !== undefined) c.max_attempts = input.maxAttempts;
  if (input.disconnectSequence !== undefined) c.disconnect_sequence = input.disconnectSequence;
  if (input.zeroCreditPrompt !== undefined) c.credit_exhausted_prompt = input.zeroCreditPrompt;
  if (input.maxConcurrent !== undefined) c.max_concurrent = input.maxConcurrent;
  if (input.maxPerHour !== undefined) c.max_per_hour = input.maxPerHour;
  if (input.subscriberMaxConcurrent !== undefined)
    c.subscriber_max_concurrent = input.subscriberMaxConcurrent;
  if (input.subscriberMaxPerHour !== undefined) c.subscriber_max_per_hour = input.subscriberMaxPerHour;
  if (input.allowedCountries !== undefined) c.allowed_countries = JSON.stringify(input.allowedCountries);
  if (input.blockedPrefixes !== undefined)
    c.blocked_prefixes = JSON.stringify(input.blockedPrefixes.map((p) => p.replace(/^\+/, '')));
  if (input.smsSecret !== undefined) c.sms_secret = input.smsSecret;
  if (input.smsReplyUrl !== undefined) c.sms_reply_url = input.smsReplyUrl;
  return c;
}

const isUnique = (err: unknown) => {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || /UNIQUE constraint/i.test(e?.message ?? '');
};

/**
 * Callback services as rows: CRUD with the checks the API promises (the trunk, extension and
 * subscriber named exist; the method's target is set), the access number's inbound route kept in
 * step, every change audited in the same transaction; and the request log the limits count from.
 */
export class CallbackServiceStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  async list(): Promise<CallbackService[]> {
    const rows = await this.db.selectFrom('callback_services').selectAll().orderBy('name').execute();
    return rows.map(toCallbackService);
  }

  async row(id: number): Promise<CallbackServiceRow | undefined> {
    return this.db.selectFrom('callback_services').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async get(id: number): Promise<CallbackService | null> {
    const r = await this.row(id);
    return r ? toCallbackService(r) : null;
  }

  async verifyServicePassword(row: CallbackServiceRow, password: string): Promise<boolean> {
    if (!row.service_password_hash || !/^[0-9]{1,10}$/.test(password)) return false;
    return verifyPassword(password, row.service_password_hash);
  }

  /** The settings as they would be after `change`: the method's target, references that exist. */
  private async check(merged: {
    method: string;
    number: string | null;
    extension: string | null;
    trunkId: number | null;
    subscriberId: number | null;
    security: string;
    hasPassword: boolean;
  }): Promise<void> {
    if (merged.method === 'call_number' && !merged.number)
      throw new CallbackServiceError(400, 'A fixed-number service needs the number to call back', 'number');
    if (merged.method === 'call_extension') {
      if (!merged.extension)
        throw new CallbackServiceError(
          400,
          'An extension service needs the extension to call back',
          'extension',
        );
      const e = await this.db
        .selectFrom('extensions')
        .select('id')
        .where('number', '=', merged.extension)
        .executeTakeFirst();
      if (!e) throw new CallbackServiceError(400, 'No such extension', 'extension');
    }
    if (merged.trunkId !== null) {
      const t = await this.db
        .selectFrom('trunks')
        .select('id')
        .where('id', '=', merged.trunkId)
        .executeTakeFirst();
      if (!t) throw new CallbackServiceError(400, 'No such trunk', 'trunkId');
    }
    if (merged.subscriberId !== null) {
      const s = await this.db
        .selectFrom('subscribers')
        .select('id')
        .where('id', '=', merged.subscriberId)
        .executeTakeFirst();
      if (!s) throw new CallbackServiceError(400, 'No such subscriber', 'subscriberId');
    }
    if (merged.security === 'service_password' && !merged.hasPassword)
      throw new CallbackServiceError(400, 'Set the service password', 'servicePassword');
  }

  /** Points the access number's inbound route at the service (and drops its old one). */
  private async syncRoute(tx: Db, id: number, before: string | null, after: string | null): Promise<void> {
    if (before === after) return;
    if (before) {
      await tx
        .deleteFrom('inbound_routes')
        .where('number', '=', before)
        .where('target_type', '=', 'callback_service')
        .where('target_id', '=', String(id))
        .execute();
    }
    if (after) {
      const taken = await tx
        .selectFrom('inbound_routes')
        .select(['target_type', 'target_id'])
        .where('number', '=', after)
        .executeTakeFirst();
      if (taken && !(taken.target_type === 'callback_service' && taken.target_id === String(id)))
        throw new CallbackServiceError(409, `${after} is already routed elsewhere`, 'accessNumber');
      if (!taken)
        await tx
          .insertInto('inbound_routes')
          .values({
            number: after,
            target_type: 'callback_service',
            target_id: String(id),
            created_at: this.now(),
          })
          .execute();
    }
  }

  async create(input: CallbackServiceInput, actor: StoreActor): Promise<CallbackService> {
    await this.check({
      method: input.method,
      number: input.number,
      extension: input.extension,
      trunkId: input.trunkId,
      subscriberId: input.subscriberId,
      security: input.security,
      hasPassword: !!input.servicePassword,
    });
    const cols = await columns(input);
    const now = this.now();
    try {
      const row = await this.db.transaction().execute(async (tx) => {
        const row = await tx
          .insertInto('callback_services')
          .values({ ...cols, name: input.name, method: input.method, created_at: now, updated_at: now })
          .returningAll()
          .executeTakeFirstOrThrow();
        await this.syncRoute(tx, row.id, null, row.access_number);
        const out = toCallbackService(row);
        await recordAudit(tx, {
          actor,
          action: 'callback_service.create',
          entity: 'callback_service',
          entityId: row.id,
          after: out,
        });
        return row;
      });
      return toCallbackService(row);
    } catch (err) {
      if (isUnique(err))
        throw new CallbackServiceError(409, `A service named ${input.name} already exists`, 'name');
      throw err;
    }
  }

  async update(id: number, input: CallbackServiceUpdate, actor: StoreActor): Promise<CallbackService> {
    const before = await this.row(id);
    if (!before) throw new CallbackServiceError(404, 'No such callback service');
    await this.check({
      method: input.method ?? before.method,
      number: input.number !== undefined ? input.number : before.number,
      extension: input.extension !== undefined ? input.extension : before.extension,
      trunkId: input.trunkId !== undefined ? input.trunkId : before.trunk_id,
      subscriberId: input.subscriberId !== undefined ? input.subscriberId : before.subscriber_id,
      security: input.security ?? before.security,
      hasPassword:
        input.servicePassword !== undefined
          ? input.servicePassword !== null
          : before.service_password_hash !== null,
    });
    const cols = await columns(input);
    try {
      const row = await this.db.transaction().execute(async (tx) => {
        const row = await tx
          .updateTable('callback_services')
          .set({ ...cols, updated_at: this.now() })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow();
        await this.syncRoute(tx, id, before.access_number, row.access_number);
        const { servicePassword, smsSecret, ...shown } = input;
        await recordAudit(tx, {
          actor,
          action: 'callback_service.update',
          entity: 'callback_service',
          entityId: id,
          before: toCallbackService(before),
          after: {
            ...shown,
            ...(servicePassword !== undefined ? { servicePasswordChanged: true } : {}),
            ...(smsSecret !== undefined ? { smsSecretChanged: true } : {}),
          },
        });
        return row;
      });
      return toCallbackService(row);
    } catch (err) {
      if (isUnique(err))
        throw new CallbackServiceError(409, `A service named ${input.name} already exists`, 'name');
      throw err;
    }
  }

  async remove(id: number, actor: StoreActor): Promise<void> {
    const before = await this.row(id);
    if (!before) throw new CallbackServiceError(404, 'No such callback service');
    await this.db.transaction().execute(async (tx) => {
      await tx
        .deleteFrom('inbound_routes')
        .where('target_type', '=', 'callback_service')
        .where('target_id', '=', String(id))
        .execute();
      await tx.deleteFrom('callback_services').where('id', '=', id).execute();
      await recordAudit(tx, {
        actor,
        action: 'callback_service.delete',
        entity: 'callback_service',
        entityId: id,
        before: toCallbackService(before),
      });
    });
  }

  // ---- the request log ------------------------------------------------------------------------

  async addRequest(r: {
    serviceId: number | null;
    /** A call flow's Callback component asked (no service). */
    flowId?: number | null;
    source: 'call' | 'sms' | 'flow';
    callerNumber: string | null;
    callbackNumber: string | null;
    destination?: string | null;
    subscriberId: number | null;
    status: CallbackRequestStatus;
    reason?: string | null;
    nodeId: string;
  }): Promise<number> {
    const now = this.now();
    const row = await this.db
      .insertInto('callback_requests')
      .values({
        service_id: r.serviceId,
        flow_id: r.flowId ?? null,
        source: r.source,
        caller_number: r.callerNumber,
        callback_number: r.callbackNumber,
        destination: r.destination ?? null,
        subscriber_id: r.subscriberId,
        status: r.status,
        reason: r.reason ?? null,
        call_id: null,
        node_id: r.nodeId,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async setRequest(
    id: number,
    change: {
      status?: CallbackRequestStatus;
      reason?: string | null;
      callId?: number;
      subscriberId?: number;
    },
  ): Promise<void> {
    const set: Updateable<CallbackRequestsTable> = { updated_at: this.now() };
    if (change.status) set.status = change.status;
    if (change.reason !== undefined) set.reason = change.reason;
    if (change.callId !== undefined) set.call_id = change.callId;
    if (change.subscriberId !== undefined) set.subscriber_id = change.subscriberId;
    await this.db.updateTable('callback_requests').set(set).where('id', '=', id).execute();
  }

  /** Requests in progress (scheduled or calling) and accepted in the last hour, for a service or a subscriber. */
  async counts(
    by: { serviceId: number } | { subscriberId: number },
  ): Promise<{ active: number; lastHour: number }> {
    const since = this.now() - 3_600_000;
    let q = this.db.selectFrom('callback_requests').select((eb) => [
      eb.fn
        .sum<number>(eb.case().when('status', 'in', ['scheduled', 'calling']).then(1).else(0).end())
        .as('active'),
      eb.fn
        .sum<number>(
          eb
            .case()
            .when(eb.and([eb('status', '<>', 'refused'), eb('created_at', '>=', since)]))
            .then(1)
            .else(0)
            .end(),
        )
        .as('last_hour'),
    ]);
    q =
      'serviceId' in by
        ? q.where('service_id', '=', by.serviceId)
        : q.where('subscriber_id', '=', by.subscriberId);
    const r = await q.where('created_at', '>=', since - 86_400_000).executeTakeFirst();
    return { active: Number(r?.active ?? 0), lastHour: Number(r?.last_hour ?? 0) };
  }

  async requests(options: { serviceId?: number; limit: number }): Promise<CallbackRequest[]> {
    // A call flow's call backs are the flow's to show; this log is the services'.
    let q = this.db
      .selectFrom('callback_requests')
      .selectAll()
      .where('service_id', 'is not', null)
      .orderBy('id', 'desc')
      .limit(options.limit);
    if (options.serviceId) q = q.where('service_id', '=', options.serviceId);
    const rows = await q.execute();
    return rows.map((r) => ({
      id: r.id,
      serviceId: r.service_id as number,
      source: r.source as 'call' | 'sms',
      callerNumber: r.caller_number,
      subscriberId: r.subscriber_id,
      status: r.status,
      reason: r.reason,
      callId: r.call_id,
      createdAt: Number(r.created_at),
    }));
  }

  /** A subscriber's latest SMS requests, newest first. */
  async smsRequestsOf(subscriberId: number, limit: number): Promise<PortalSmsRequest[]> {
    const rows = await this.db
      .selectFrom('callback_requests')
      .selectAll()
      .where('subscriber_id', '=', subscriberId)
      .where('source', '=', 'sms')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      createdAt: Number(r.created_at),
      from: r.caller_number,
      callbackNumber: r.callback_number,
      destination: r.destination,
      status: r.status,
      reason: r.reason,
    }));
  }

  /** Enabled services with an access number: where SMS commands are taken. */
  async smsServices(): Promise<Array<{ name: string; number: string; balanceQuery: boolean }>> {
    const rows = await this.db
      .selectFrom('callback_services')
      .select(['name', 'access_number', 'credit_query'])
      .where('enabled', '=', 1)
      .where('access_number', 'is not', null)
      .orderBy('name')
      .execute();
    return rows.map((r) => ({
      name: r.name,
      number: r.access_number ?? '',
      balanceQuery: r.credit_query === 1,
    }));
  }

  /** Requests this node left scheduled or calling (a crash): failed, so the limits do not count them. */
  async closeInterrupted(nodeId: string): Promise<void> {
    await this.db
      .updateTable('callback_requests')
      .set({ status: 'failed', reason: 'interrupted', updated_at: this.now() })
      .where('node_id', '=', nodeId)
      .where('status', 'in', ['scheduled', 'calling'])
      .execute();
  }

  async pinFailure(serviceId: number, number: string): Promise<void> {
    await this.db
      .insertInto('callback_pin_failures')
      .values({ service_id: serviceId, number, at: this.now() })
      .execute();
  }

  async pinFailuresSince(number: string, since: number): Promise<number> {
    const r = await this.db
      .selectFrom('callback_pin_failures')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('number', '=', number)
      .where('at', '>=', since)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }
}
