import { randomUUID } from 'node:crypto';
import { digitsOnly } from '@switchboard/shared';
import { sql } from 'kysely';
import { type Db, isPostgres } from '../db/database';
import type { CallLegsTable, CallsTable, CallType, Disposition } from '../db/schema';

/**
 * The customer whose number this is, as `viewer` may see them: an agent only their own customers
 * (else the CDR or caller ID would name another agent's contact), a supervisor anyone's, oldest
 * first. No viewer (a call ringing in a queue): the oldest match; only supervisors see that call.
 */
export async function customerOfNumber(
  db: Db,
  digits: string,
  viewer: { id: number; role: string | null } | null,
): Promise<{ id: number; name: string } | null> {
  if (!digits) return null;
  const row = await db
    .selectFrom('customers')
    .innerJoin('customer_phones', 'customer_phones.customer_id', 'customers.id')
    .select(['customers.id', 'customers.name'])
    .where('customer_phones.digits', '=', digits)
    .$if(viewer?.role === 'agent', (q) => q.where('customers.owner_user_id', '=', viewer!.id))
    .orderBy(sql`case when customers.owner_user_id = ${viewer?.id ?? -1} then 0 else 1 end`)
    .orderBy('customers.id')
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}

export interface CallStart {
  type: CallType;
  queueId?: number | null;
  agentUserId?: number | null;
  customerId?: number | null;
  customerNumber?: string | null;
  callerNumber?: string | null;
  calledNumber?: string | null;
  sourceRef?: string | null;
  /** The service that runs the call (call scripts). */
  service?: string | null;
}

export interface LegStart {
  legUuid: string;
  role: CallLegsTable['role'];
  peer: string | null;
  startedAt?: number;
  /** A leg that joins already answered (a consulted party). */
  answeredAt?: number;
}

export interface LegFields {
  answered_at?: number;
  ended_at?: number;
  disposition?: Disposition;
  hangup_cause?: string;
  cost_micros?: number;
}

export interface CallEnd {
  disposition: Disposition;
  hangupCause: string;
  hangupSide: 'customer' | 'agent' | 'system';
  quality?: unknown;
}

/** One step of `calls.transfer_chain`: a transfer, a consult, a queue overflow… (stored as JSON). */
export interface TransferStep {
  at: number;
  kind: string;
}

/**
 * What a caller sent, fit to store: control characters (a NUL from `%00` in a From header, say) are
 * dropped. PostgreSQL refuses NUL in text, and the call must be recorded whatever the caller sent.
 */
export function recordedText(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  return value.replace(/[\u0000-\u001f\u007f]/g, '');
}

/**
 * The one writer of call records: `calls` (the CDR), `call_legs` and the transfer chain. Rows are
 * written when the call starts and updated as it progresses, so a crash leaves an open row that
 * start-up closes as `interrupted` instead of losing the call.
 */
export class CallRecords {
  constructor(
    private readonly db: Db,
    private readonly nodeId: string,
    private readonly now: () => number = Date.now,
  ) {}

  async open(start: CallStart): Promise<{ id: number; uuid: string; startedAt: number }> {
    const uuid = randomUUID();
    const startedAt = this.now();
    start = {
      ...start,
      customerNumber: recordedText(start.customerNumber),
      callerNumber: recordedText(start.callerNumber),
      calledNumber: recordedText(start.calledNumber),
    };
    const digits = start.customerNumber ? digitsOnly(start.customerNumber) : null;
    const customerId =
      start.customerId ?? (digits ? await this.customerFor(digits, start.agentUserId ?? null) : null);
    const row = await this.db
      .insertInto('calls')
      .values({
        call_uuid: uuid,
        type: start.type,
        queue_id: start.queueId ?? null,
        agent_user_id: start.agentUserId ?? null,
        customer_id: customerId,
        customer_number: start.customerNumber ?? null,
        customer_digits: digits,
        caller_number: start.callerNumber ?? null,
        called_number: start.calledNumber ?? null,
        started_at: startedAt,
        status: 'open',
        node_id: this.nodeId,
        source_ref: start.sourceRef ?? null,
        service: start.service ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, uuid, startedAt };
  }

  async update(
    id: number,
    fields: Partial<
      Pick<
        CallsTable,
        'agent_user_id' | 'queue_id' | 'customer_id' | 'recording_id' | 'caller_number' | 'called_number'
      >
    >,
  ) {
    const clean = { ...fields };
    if (clean.caller_number !== undefined) clean.caller_number = recordedText(clean.caller_number);
    if (clean.called_number !== undefined) clean.called_number = recordedText(clean.called_number);
    await this.db.updateTable('calls').set(clean).where('id', '=', id).execute();
    if (fields.agent_user_id !== undefined && fields.customer_id === undefined) await this.relinkForAgent(id);
  }

  private async customerFor(digits: string, agentUserId: number | null): Promise<number | null> {
    const agent =
      agentUserId === null
        ? undefined
        : await this.db
            .selectFrom('users')
            .select(['id', 'role'])
            .where('id', '=', agentUserId)
            .executeTakeFirst();
    return (await customerOfNumber(this.db, digits, agent ?? null))?.id ?? null;
  }

  /**
   * A call that reaches its agent (a queue call answered) links to the customer that agent may see;
   * a link the agent may see already (a customer saved during the call) stays.
   */
  private async relinkForAgent(id: number): Promise<void> {
    const call = await this.db
      .selectFrom('calls')
      .leftJoin('customers', 'customers.id', 'calls.customer_id')
      .leftJoin('users', 'users.id', 'calls.agent_user_id')
      .select([
        'calls.customer_id',
        'calls.customer_digits',
        'calls.agent_user_id',
        'customers.owner_user_id',
        'users.role',
      ])
      .where('calls.id', '=', id)
      .executeTakeFirst();
    if (!call?.customer_digits) return;
    const visible =
      call.customer_id !== null && (call.role !== 'agent' || call.owner_user_id === call.agent_user_id);
    if (visible) return;
    const customerId = await this.customerFor(call.customer_digits, call.agent_user_id);
    if (customerId === call.customer_id) return;
    await this.db.updateTable('calls').set({ customer_id: customerId }).where('id', '=', id).execute();
  }

  /** The queue a call went to, unless it already has one (the queue it arrived in stays). */
  async queueIfUnset(id: number, queueId: number): Promise<void> {
    await this.db
      .updateTable('calls')
      .set({ queue_id: queueId })
      .where('id', '=', id)
      .where('queue_id', 'is', null)
      .execute();
  }

  async answered(id: number, at = this.now()): Promise<void> {
    const row = await this.db
      .selectFrom('calls')
      .select('started_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    await this.db
      .updateTable('calls')
      .set({ answered_at: at, ring_time_s: Math.round((at - row.started_at) / 1000) })
      .where('id', '=', id)
      .where('answered_at', 'is', null)
      .execute();
  }

  /**
   * Appends a step to the call's transfer chain in one statement: two steps written at the same
   * instant (a transfer and a queue overflow) both land, whatever the database interleaves.
   */
  async addTransfer<S extends TransferStep>(id: number, step: S): Promise<void> {
    const json = JSON.stringify(step);
    const chain = isPostgres(this.db)
      ? sql<string>`(coalesce(transfer_chain, '[]')::jsonb || jsonb_build_array(${json}::jsonb))::text`
      : sql<string>`json_insert(coalesce(transfer_chain, '[]'), '$[#]', json(${json}))`;
    await this.db.updateTable('calls').set({ transfer_chain: chain }).where('id', '=', id).execute();
  }

  /** Calls a new customer was saved from become theirs (inside the CRM's transaction `tx`). */
  static async linkCustomer(tx: Db, customerId: number, callIds: number[]): Promise<void> {
    if (callIds.length === 0) return;
    await tx
      .updateTable('calls')
      .set({ customer_id: customerId })
      .where('id', 'in', callIds)
      .where('customer_id', 'is', null)
      .execute();
  }

  /**
   * A customer saved while on a call with one of their numbers (typed rather than taken from the
   * call) gets that call too: the creator's calls still in progress with no customer yet.
   */
  static async linkOpenCalls(
    tx: Db,
    customerId: number,
    agentUserId: number,
    digits: string[],
  ): Promise<void> {
    if (digits.length === 0) return;
    await tx
      .updateTable('calls')
      .set({ customer_id: customerId })
      .where('status', '=', 'open')
      .where('agent_user_id', '=', agentUserId)
      .where('customer_digits', 'in', digits)
      .where('customer_id', 'is', null)
      .execute();
  }

  /** A deleted customer's calls stay, without the link (inside the CRM's transaction `tx`). */
  static async unlinkCustomer(tx: Db, customerId: number): Promise<void> {
    await tx.updateTable('calls').set({ customer_id: null }).where('customer_id', '=', customerId).execute();
  }

  /** A leg of the call (one dialog toward one party): its row id. */
  async openLeg(callId: number, leg: LegStart): Promise<number> {
    const row = await this.db
      .insertInto('call_legs')
      .values({
        call_id: callId,
        leg_uuid: leg.legUuid,
        role: leg.role,
        peer: recordedText(leg.peer),
        started_at: leg.startedAt ?? this.now(),
        answered_at: leg.answeredAt ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** Answer/end times and outcome of a leg; an ended leg keeps its first outcome. */
  async updateLeg(legId: number, fields: LegFields): Promise<void> {
    let q = this.db.updateTable('call_legs').set(fields).where('id', '=', legId);
    if (fields.ended_at !== undefined) q = q.where('ended_at', 'is', null);
    await q.execute();
  }

  /** Closes the call; only the first close counts, so racing hang-ups cannot rewrite the outcome. */
  async close(id: number, end: CallEnd, at = this.now()): Promise<void> {
    const row = await this.db
      .selectFrom('calls')
      .select(['type', 'started_at', 'answered_at', 'status'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    if (row.status === 'closed') return;
    const ring = Math.round(((row.answered_at ?? at) - row.started_at) / 1000);
    const talk = row.answered_at ? Math.round((at - row.answered_at) / 1000) : 0;
    // seed 004: for manual calls that were unanswered or busy, the duration is the ringing time.
    const duration =
      end.disposition === 'answered'
        ? talk
        : row.type === 'manual' && (end.disposition === 'unanswered' || end.disposition === 'busy')
          ? ring
          : 0;
    await this.db
      .updateTable('calls')
      .set({
        ended_at: at,
        ring_time_s: ring,
        duration_s: duration,
        disposition: end.disposition,
        hangup_cause: end.hangupCause,
        hangup_side: end.hangupSide,
        quality: end.quality === undefined ? null : JSON.stringify(end.quality),
        status: 'closed',
      })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .execute();
  }

  /**
   * Start-up recovery: every call this node left open was cut off by a crash or kill. They end at
   * `lastAlive`, the node's last heartbeat (now when there is none), so the downtime is not talk
   * time; answered ones keep their talk time up to then, unanswered ones count as such.
   */
  async closeInterrupted(lastAlive: number | null = null): Promise<number> {
    const open = await this.db
      .selectFrom('calls')
      .select(['id', 'started_at', 'answered_at'])
      .where('status', '=', 'open')
      .where((eb) => eb.or([eb('node_id', '=', this.nodeId), eb('node_id', 'is', null)]))
      .execute();
    const now = this.now();
    for (const call of open) {
      // The node's last heartbeat is when the call really ended; never before the call began.
      const at =
        lastAlive === null
          ? now
          : Math.min(now, Math.max(lastAlive, Number(call.answered_at ?? call.started_at)));
      await this.close(
        call.id,
        {
          disposition: call.answered_at ? 'answered' : 'unanswered',
          hangupCause: 'interrupted',
          hangupSide: 'system',
        },
        at,
      );
      await this.db
        .updateTable('call_legs')
        .set({
          ended_at: at,
          hangup_cause: 'interrupted',
          disposition: sql<Disposition>`coalesce(disposition, case when answered_at is not null then 'answered' else 'unanswered' end)`,
        })
        .where('call_id', '=', call.id)
        .where('ended_at', 'is', null)
        .execute();
    }
    return open.length;
  }
}
