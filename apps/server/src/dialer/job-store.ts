import type { Selectable } from 'kysely';
import { type Db, isPostgres } from '../db/database';
import type { DialerJobsTable } from '../db/schema';

export type DialerJobRow = Selectable<DialerJobsTable>;

/** One unit of due outbound work as a handler sees it. */
export interface DueJob {
  id: number;
  kind: string;
  subjectId: number | null;
  number: string | null;
  trunkId: number | null;
  payload: unknown;
  dueAt: number;
  /** Dials already made for this job (0 on the first). */
  attempt: number;
}

export interface NewDialerJob {
  kind: string;
  subjectId?: number | null;
  number?: string | null;
  trunkId?: number | null;
  payload?: unknown;
  dueAt: number;
}

export function toDueJob(r: DialerJobRow): DueJob {
  return {
    id: r.id,
    kind: r.kind,
    subjectId: r.subject_id,
    number: r.number,
    trunkId: r.trunk_id,
    payload: r.payload === null ? null : JSON.parse(r.payload),
    dueAt: r.due_at,
    attempt: r.attempt,
  };
}

/**
 * The dialer's rows. Every state change that decides who dials is one conditional UPDATE: the
 * claim (`pending` → `dialling` under this node's lease, `FOR UPDATE SKIP LOCKED` on PostgreSQL so
 * concurrent nodes take disjoint rows without waiting on each other), the call id written before
 * the INVITE (only while the lease is still ours), and the finish.
 */
export class DialerJobStore {
  private readonly pg: boolean;

  constructor(private readonly db: Db) {
    this.pg = isPostgres(db);
  }

  async add(job: NewDialerJob, now: number, tx: Db = this.db): Promise<number> {
    const row = await tx
      .insertInto('dialer_jobs')
      .values({
        kind: job.kind,
        subject_id: job.subjectId ?? null,
        number: job.number ?? null,
        trunk_id: job.trunkId ?? null,
        payload: job.payload === undefined ? null : JSON.stringify(job.payload),
        due_at: job.dueAt,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** Cancels the pending jobs of a subject (a plan changed or closed). Jobs being dialled go on. */
  async cancelPending(kind: string, subjectId: number, now: number, tx: Db = this.db): Promise<number> {
    const r = await tx
      .updateTable('dialer_jobs')
      .set({ status: 'cancelled', updated_at: now })
      .where('kind', '=', kind)
      .where('subject_id', '=', subjectId)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** The trunk keys (0 for "any trunk") that have due work of these kinds. */
  async dueTrunks(kinds: string[], now: number): Promise<number[]> {
    if (!kinds.length) return [];
    const rows = await this.db
      .selectFrom('dialer_jobs')
      .select('trunk_id')
      .distinct()
      .where('status', '=', 'pending')
      .where('due_at', '<=', now)
      .where('kind', 'in', kinds)
      .execute();
    return rows.map((r) => r.trunk_id ?? 0);
  }

  async claim(
    kinds: string[],
    trunkKey: number,
    limit: number,
    owner: string,
    now: number,
    leaseMs: number,
  ): Promise<DialerJobRow[]> {
    if (!kinds.length || limit <= 0) return [];
    const due = this.db
      .selectFrom('dialer_jobs')
      .select('id')
      .where('status', '=', 'pending')
      .where('due_at', '<=', now)
      .where('kind', 'in', kinds)
      .where((eb) => (trunkKey === 0 ? eb('trunk_id', 'is', null) : eb('trunk_id', '=', trunkKey)))
      .orderBy('due_at')
      .orderBy('id')
      .limit(limit)
      .$if(this.pg, (q) => q.forUpdate().skipLocked());
    const rows = await this.db
      .updateTable('dialer_jobs')
      .set({ status: 'dialling', lease_owner: owner, lease_until: now + leaseMs, updated_at: now })
      .where('id', 'in', due)
      // SQLite has no row locks; its single writer makes the subselect and update one step.
      .where('status', '=', 'pending')
      .returningAll()
      .execute();
    return rows.sort((a, b) => a.due_at - b.due_at || a.id - b.id);
  }

  /** Records the call before its first INVITE; false when the lease is no longer ours. */
  async markPlacing(id: number, owner: string, callId: number, now: number): Promise<boolean> {
    const r = await this.db
      .updateTable('dialer_jobs')
      .set({ call_id: callId, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'dialling')
      .where('lease_owner', '=', owner)
      .where('lease_until', '>', now)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async renew(ids: number[], owner: string, now: number, leaseMs: number): Promise<void> {
    if (!ids.length) return;
    await this.db
      .updateTable('dialer_jobs')
      .set({ lease_until: now + leaseMs })
      .where('id', 'in', ids)
      .where('lease_owner', '=', owner)
      .where('status', '=', 'dialling')
      .execute();
  }

  /**
   * Ends a dial: one attempt row, and the job done or back to pending for a retry. Nothing is
   * written when another node has taken the job over (our lease ran out).
   */
  async finish(
    job: DialerJobRow,
    owner: string,
    result: {
      outcome: string;
      callId: number | null;
      retryAt?: number | null;
      record?: boolean;
      commit?: (tx: Db) => Promise<void>;
    },
    now: number,
  ): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const retry = result.retryAt !== undefined && result.retryAt !== null;
      const r = await tx
        .updateTable('dialer_jobs')
        .set({
          status: retry ? 'pending' : 'done',
          due_at: retry ? result.retryAt! : job.due_at,
          attempt: job.attempt + (result.callId !== null ? 1 : 0),
          lease_owner: null,
          lease_until: null,
          call_id: null,
          outcome: result.outcome,
          updated_at: now,
        })
        .where('id', '=', job.id)
        .where('status', '=', 'dialling')
        .where('lease_owner', '=', owner)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) return false;
      await result.commit?.(tx);
      if (result.record === false) return true;
      await tx
        .insertInto('dialer_attempts')
        .values({
          job_id: job.id,
          kind: job.kind,
          subject_id: job.subject_id,
          at: now,
          outcome: result.outcome,
          call_id: result.callId,
        })
        .execute();
      return true;
    });
  }

  /**
   * Jobs of `kinds` whose node died (lease expired). One that never got a call goes back to pending:
   * its INVITE was never sent. One with a call may have rung the customer: it becomes `interrupted`,
   * is never dialled again by this path, and `interrupted` writes what follows for its subject in
   * the same transaction, so a crash here never leaves a job interrupted with its subject untold.
   * Each job is recovered on its own: a hook that fails leaves its job expired for the next look.
   */
  async recoverExpired(
    now: number,
    kinds: string[],
    interrupted: (job: DialerJobRow, tx: Db) => Promise<void> = async () => {},
  ): Promise<{ recovered: DialerJobRow[]; failed: Array<{ job: number; err: unknown }> }> {
    const recovered: DialerJobRow[] = [];
    const failed: Array<{ job: number; err: unknown }> = [];
    if (!kinds.length) return { recovered, failed };
    await this.db
      .updateTable('dialer_jobs')
      .set({ status: 'pending', lease_owner: null, lease_until: null, updated_at: now })
      .where('status', '=', 'dialling')
      .where('kind', 'in', kinds)
      .where('call_id', 'is', null)
      .where('lease_until', '<', now)
      .execute();
    const expired = await this.db
      .selectFrom('dialer_jobs')
      .select('id')
      .where('status', '=', 'dialling')
      .where('kind', 'in', kinds)
      .where('call_id', 'is not', null)
      .where('lease_until', '<', now)
      .orderBy('id')
      .execute();
    for (const { id } of expired) {
      try {
        const row = await this.db.transaction().execute(async (tx) => {
          // Still expired: another node may have recovered it since it was read.
          const r = await tx
            .updateTable('dialer_jobs')
            .set({ status: 'interrupted', outcome: 'interrupted', lease_owner: null, updated_at: now })
            .where('id', '=', id)
            .where('status', '=', 'dialling')
            .where('lease_until', '<', now)
            .returningAll()
            .executeTakeFirst();
          if (!r) return null;
          await tx
            .insertInto('dialer_attempts')
            .values({
              job_id: r.id,
              kind: r.kind,
              subject_id: r.subject_id,
              at: now,
              outcome: 'interrupted',
              call_id: r.call_id,
            })
            .execute();
          await interrupted(r, tx);
          return r;
        });
        if (row) recovered.push(row);
      } catch (err) {
        failed.push({ job: id, err });
      }
    }
    return { recovered, failed };
  }

  /** On a single-node database every lease at start-up belongs to a process that is gone. */
  async expireLeasesOfOthers(owner: string): Promise<void> {
    await this.db
      .updateTable('dialer_jobs')
      .set({ lease_until: 0 })
      .where('status', '=', 'dialling')
      .where('lease_owner', '!=', owner)
      .execute();
  }

  async nextDueAt(kinds: string[]): Promise<number | null> {
    if (!kinds.length) return null;
    const r = await this.db
      .selectFrom('dialer_jobs')
      .select((eb) => eb.fn.min('due_at').as('next'))
      .where('status', '=', 'pending')
      .where('kind', 'in', kinds)
      .executeTakeFirst();
    return r?.next === null || r?.next === undefined ? null : Number(r.next);
  }

  async attemptsOf(kind: string, subjectId: number) {
    return this.db
      .selectFrom('dialer_attempts')
      .select(['at', 'outcome', 'call_id'])
      .where('kind', '=', kind)
      .where('subject_id', '=', subjectId)
      .orderBy('at')
      .orderBy('id')
      .execute();
  }

  get isPostgres(): boolean {
    return this.pg;
  }
}
