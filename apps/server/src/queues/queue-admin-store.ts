import type { queueInputSchema, queueUpdateSchema } from '@switchboard/shared';
import type { Selectable, Updateable } from 'kysely';
import type { z } from 'zod';
import { auditBy, conflictOnUnique } from '../admin/admin-helpers';
import type { Db } from '../db/database';
import type { QueuesTable, UsersTable } from '../db/schema';
import { ApiError } from '../http/api-error';

type QueueInput = z.infer<typeof queueInputSchema>;
type QueueUpdate = z.infer<typeof queueUpdateSchema>;
type QueueRow = Selectable<QueuesTable>;

interface MemberRow {
  queue_id: number;
  user_id: number;
  penalty: number;
  paused: number;
  display_name: string;
  username: string;
  role: UsersTable['role'];
}

/** The queue settings the API takes, as columns (only those present). */
function queueColumns(input: QueueUpdate) {
  const cols: Updateable<QueuesTable> = {};
  if (input.name !== undefined) cols.name = input.name;
  if (input.strategy !== undefined) cols.strategy = input.strategy;
  if (input.ringTimeoutS !== undefined) cols.ring_timeout_s = input.ringTimeoutS;
  if (input.retryDelayS !== undefined) cols.retry_delay_s = input.retryDelayS;
  if (input.wrapupS !== undefined) cols.wrapup_s = input.wrapupS;
  if (input.maxNoAnswer !== undefined) cols.max_no_answer = input.maxNoAnswer;
  if (input.maxWaitS !== undefined) cols.max_wait_s = input.maxWaitS;
  if (input.maxLength !== undefined) cols.max_length = input.maxLength;
  if (input.overflow !== undefined) {
    cols.overflow_type = input.overflow.type;
    cols.overflow_target =
      input.overflow.type === 'hangup' || !input.overflow.type ? null : input.overflow.target;
  }
  if (input.holdMusic !== undefined) cols.hold_music = input.holdMusic;
  if (input.announceIntervalS !== undefined) cols.announce_interval_s = input.announceIntervalS;
  if (input.serviceLevelS !== undefined) cols.service_level_s = input.serviceLevelS;
  if (input.serviceLevelTargetPercent !== undefined)
    cols.service_level_target = input.serviceLevelTargetPercent;
  if (input.callerId !== undefined) cols.caller_id = input.callerId;
  if (input.virtualHold !== undefined) {
    const v = input.virtualHold;
    cols.virtual_hold = v.enabled ? 1 : 0;
    cols.virtual_hold_threshold_s = v.thresholdS;
    cols.virtual_hold_mode = v.mode;
    cols.virtual_hold_max_attempts = v.maxAttempts;
    cols.virtual_hold_retry_s = v.retryDelayS;
  }
  return cols;
}

/** A queue in the admin API's shape, with its own members picked from `members`. */
function queueFromRow(q: QueueRow, members: MemberRow[]) {
  return {
    id: q.id,
    name: q.name,
    strategy: q.strategy,
    ringTimeoutS: q.ring_timeout_s,
    retryDelayS: q.retry_delay_s,
    wrapupS: q.wrapup_s,
    maxNoAnswer: q.max_no_answer,
    maxWaitS: q.max_wait_s,
    maxLength: q.max_length,
    overflow: { type: q.overflow_type, target: q.overflow_target },
    holdMusic: q.hold_music,
    announceIntervalS: q.announce_interval_s,
    serviceLevelS: q.service_level_s,
    serviceLevelTargetPercent: q.service_level_target,
    callerId: q.caller_id,
    virtualHold: {
      enabled: q.virtual_hold === 1,
      thresholdS: q.virtual_hold_threshold_s,
      mode: q.virtual_hold_mode,
      maxAttempts: q.virtual_hold_max_attempts,
      retryDelayS: q.virtual_hold_retry_s,
    },
    members: members
      .filter((m) => m.queue_id === q.id)
      .map((m) => ({
        userId: m.user_id,
        displayName: m.display_name,
        username: m.username,
        role: m.role,
        penalty: m.penalty,
        paused: m.paused === 1,
      })),
  };
}

/** Queue settings and memberships in the database, as the admin API reads and writes them. */
export class QueueAdminStore {
  constructor(private readonly db: Db) {}

  /** Every queue by name, each with its members by display name. */
  async list() {
    const queues = await this.db.selectFrom('queues').selectAll().orderBy('name').execute();
    const members = await this.db
      .selectFrom('queue_members')
      .innerJoin('users', 'users.id', 'queue_members.user_id')
      .select([
        'queue_members.queue_id',
        'queue_members.user_id',
        'queue_members.penalty',
        'queue_members.paused',
        'users.display_name',
        'users.username',
        'users.role',
      ])
      .orderBy('users.display_name')
      .execute();
    return queues.map((q) => queueFromRow(q, members));
  }

  /** The queue's row; 404 when there is none. */
  async get(id: number): Promise<QueueRow> {
    const row = await this.db.selectFrom('queues').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw ApiError.notFound('No such queue');
    return row;
  }

  async create(input: QueueInput, actor: number): Promise<number> {
    const row = await this.db
      .insertInto('queues')
      .values({ ...queueColumns(input), name: input.name, created_at: Date.now() })
      .returning('id')
      .executeTakeFirstOrThrow()
      .catch(conflictOnUnique(`A queue named ${input.name}`));
    await auditBy(this.db, actor, {
      action: 'queue.create',
      entity: 'queue',
      entityId: row.id,
      after: input,
    });
    return row.id;
  }

  /** Writes the settings given; nothing (and no audit entry) when there are none. */
  async update(before: QueueRow, input: QueueUpdate, actor: number): Promise<void> {
    const cols = queueColumns(input);
    if (Object.keys(cols).length === 0) return;
    await this.db
      .updateTable('queues')
      .set(cols)
      .where('id', '=', before.id)
      .execute()
      .catch(conflictOnUnique(`A queue named ${input.name}`));
    await auditBy(this.db, actor, {
      action: 'queue.update',
      entity: 'queue',
      entityId: before.id,
      before,
      after: input,
    });
  }

  async remove(before: QueueRow, actor: number): Promise<void> {
    await this.db.deleteFrom('queues').where('id', '=', before.id).execute();
    await auditBy(this.db, actor, { action: 'queue.delete', entity: 'queue', entityId: before.id, before });
  }

  /** 404 unless both exist; 400 for an administrator, who takes no queue calls. */
  async assertMemberCanJoin(queueId: number, userId: number): Promise<void> {
    const q = await this.db.selectFrom('queues').select('id').where('id', '=', queueId).executeTakeFirst();
    if (!q) throw ApiError.notFound('No such queue');
    const u = await this.db
      .selectFrom('users')
      .select(['id', 'role'])
      .where('id', '=', userId)
      .executeTakeFirst();
    if (!u) throw ApiError.notFound('No such user');
    if (u.role === 'admin') throw ApiError.badRequest('userId: Administrators do not take queue calls');
  }

  /** Adds the member or changes their penalty. */
  async setMember(queueId: number, userId: number, penalty: number, actor: number): Promise<void> {
    const before = await this.db
      .selectFrom('queue_members')
      .selectAll()
      .where('queue_id', '=', queueId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    await this.db
      .insertInto('queue_members')
      .values({ queue_id: queueId, user_id: userId, penalty })
      .onConflict((oc) => oc.columns(['queue_id', 'user_id']).doUpdateSet({ penalty }))
      .execute();
    await auditBy(this.db, actor, {
      action: before ? 'queue_member.update' : 'queue_member.add',
      entity: 'queue',
      entityId: queueId,
      before: before ? { userId, penalty: before.penalty } : undefined,
      after: { userId, penalty },
    });
  }

  async removeMember(queueId: number, userId: number, actor: number): Promise<void> {
    const res = await this.db
      .deleteFrom('queue_members')
      .where('queue_id', '=', queueId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (Number(res.numDeletedRows) === 0) throw ApiError.notFound('No such member');
    await auditBy(this.db, actor, {
      action: 'queue_member.remove',
      entity: 'queue',
      entityId: queueId,
      before: { userId },
    });
  }
}
