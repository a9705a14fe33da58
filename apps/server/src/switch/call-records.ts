import { randomUUID } from 'node:crypto';
import { digitsOnly } from '@switchboard/shared';
import type { Db } from '../db/database';
import type { CallsTable, CallType, Disposition } from '../db/schema';

export interface CallStart {
  type: CallType;
  queueId?: number | null;
  agentUserId?: number | null;
  customerId?: number | null;
  customerNumber?: string | null;
  callerNumber?: string | null;
  calledNumber?: string | null;
  sourceRef?: string | null;
}

export interface CallEnd {
  disposition: Disposition;
  hangupCause: string;
  hangupSide: 'customer' | 'agent' | 'system';
  quality?: unknown;
}

export interface TransferStep {
  at: number;
  kind: 'blind' | 'attended' | 'conference';
  from: string;
  to: string;
}

/**
 * The CDR of each call, written when the call starts and updated as it progresses, so a crash
 * leaves an open row that start-up closes as `interrupted` instead of losing the call.
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
    const row = await this.db
      .insertInto('calls')
      .values({
        call_uuid: uuid,
        type: start.type,
        queue_id: start.queueId ?? null,
        agent_user_id: start.agentUserId ?? null,
        customer_id: start.customerId ?? null,
        customer_number: start.customerNumber ?? null,
        customer_digits: start.customerNumber ? digitsOnly(start.customerNumber) : null,
        caller_number: start.callerNumber ?? null,
        called_number: start.calledNumber ?? null,
        started_at: startedAt,
        status: 'open',
        node_id: this.nodeId,
        source_ref: start.sourceRef ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, uuid, startedAt };
  }

  async update(
    id: number,
    fields: Partial<Pick<CallsTable, 'agent_user_id' | 'queue_id' | 'customer_id' | 'recording_id'>>,
  ) {
    await this.db.updateTable('calls').set(fields).where('id', '=', id).execute();
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

  async addTransfer(id: number, step: TransferStep): Promise<void> {
    const row = await this.db
      .selectFrom('calls')
      .select('transfer_chain')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const chain: TransferStep[] = row.transfer_chain ? JSON.parse(row.transfer_chain) : [];
    chain.push(step);
    await this.db
      .updateTable('calls')
      .set({ transfer_chain: JSON.stringify(chain) })
      .where('id', '=', id)
      .execute();
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
   * Start-up recovery: every call this node left open was cut off by a crash or kill. Answered ones
   * keep their talk time up to the last moment we can vouch for (now), unanswered ones count as such.
   */
  async closeInterrupted(): Promise<number> {
    const open = await this.db
      .selectFrom('calls')
      .select(['id', 'answered_at'])
      .where('status', '=', 'open')
      .where((eb) => eb.or([eb('node_id', '=', this.nodeId), eb('node_id', 'is', null)]))
      .execute();
    for (const call of open) {
      await this.close(call.id, {
        disposition: call.answered_at ? 'answered' : 'unanswered',
        hangupCause: 'interrupted',
        hangupSide: 'system',
      });
    }
    return open.length;
  }
}
