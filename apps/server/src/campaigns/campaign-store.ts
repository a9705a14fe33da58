import {
  type Campaign,
  type CampaignRetryDelays,
  type CampaignState,
  type CampaignStats,
  type CampaignTask,
  type CampaignTaskStatus,
  campaignRetryDefaults,
  campaignRetryDelaysSchema,
} from '@switchboard/shared';
import { recordAudit } from '../audit/audit-log';
import type { Db } from '../db/database';
import type { CampaignMode } from '../db/schema';
import { ApiError } from '../http/api-error';
import { ANSWER_WINDOW } from './predictive-pacing';

/**
 * Who reads: the desk user with their record scope and number masker (the HTTP layer's viewer, named
 * here by shape so the switch side's wiring does not import the HTTP layer).
 */
export interface Viewer {
  user: { id: number };
  seesAll: boolean;
  mask(n: string): string;
}

/** The dialer job kind of one dial of a campaign task (`subject_id` = the dial task). */
export const CAMPAIGN_TASK_JOB = 'campaign_task';

/** Tasks still to be worked: they count as "remaining" and keep a running campaign open. */
export const OPEN_TASK_STATUSES: CampaignTaskStatus[] = ['pending', 'reserved', 'dialling'];

export interface CampaignValues {
  name: string;
  mode: CampaignMode;
  queue_id: number | null;
  caller_id: string | null;
  max_attempts: number;
  retry_delays: CampaignRetryDelays;
  calling_from: string | null;
  calling_to: string | null;
  abandon_cap: number;
  abandon_prompt: string | null;
}

/** Outcomes of a dial the customer picked up: reached an agent, or abandoned. */
const PICKED_UP = ['answered', 'abandoned'];
/** Outcomes of a dial that rang out (a preview agent who missed their own call dialled nobody). */
const RANG_OUT = ['answered', 'abandoned', 'busy', 'no_answer', 'rejected', 'failed'];

/** Midnight of `now`'s day on the server: the day abandon rates are counted over. */
export function dayStart(now: number): number {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

export function parseRetryDelays(json: string): CampaignRetryDelays {
  try {
    const parsed = campaignRetryDelaysSchema.safeParse(JSON.parse(json));
    if (parsed.success) return parsed.data;
  } catch {
    // a stored value that no longer parses falls back to the defaults
  }
  return campaignRetryDefaults;
}

/** Campaigns, their agents and tasks in the database, read in the API's shape. */
export class CampaignStore {
  /** Predictive: customers dialled per free agent at each campaign's last pacing decision (this node). */
  readonly dialsPerAgent = new Map<number, number>();

  constructor(private readonly db: Db) {}

  /** The campaign's most recent dials that rang out (up to `window`) and how many were picked up. */
  async recentDials(campaignId: number, window: number): Promise<{ answered: number; dialled: number }> {
    const rows = await this.db
      .selectFrom('dialer_attempts')
      .innerJoin('campaign_tasks', 'campaign_tasks.task_id', 'dialer_attempts.subject_id')
      .select('dialer_attempts.outcome')
      .where('dialer_attempts.kind', '=', CAMPAIGN_TASK_JOB)
      .where('campaign_tasks.campaign_id', '=', campaignId)
      .where('dialer_attempts.outcome', 'in', RANG_OUT)
      .orderBy('dialer_attempts.id', 'desc')
      .limit(window)
      .execute();
    return { answered: rows.filter((r) => PICKED_UP.includes(r.outcome)).length, dialled: rows.length };
  }

  /** Today's abandoned customers per customer who picked up, in percent; null before any picked up. */
  async abandonRate(campaignId: number, now = Date.now()): Promise<number | null> {
    const rows = await this.db
      .selectFrom('dialer_attempts')
      .innerJoin('campaign_tasks', 'campaign_tasks.task_id', 'dialer_attempts.subject_id')
      .select(['dialer_attempts.outcome', (eb) => eb.fn.countAll<number>().as('n')])
      .where('dialer_attempts.kind', '=', CAMPAIGN_TASK_JOB)
      .where('campaign_tasks.campaign_id', '=', campaignId)
      .where('dialer_attempts.outcome', 'in', PICKED_UP)
      .where('dialer_attempts.at', '>=', dayStart(now))
      .groupBy('dialer_attempts.outcome')
      .execute();
    const n = (o: string) => Number(rows.find((r) => r.outcome === o)?.n ?? 0);
    const picked = n('answered') + n('abandoned');
    return picked === 0 ? null : Math.round((n('abandoned') / picked) * 10_000) / 100;
  }

  /** The campaign's row; 404 when there is none or the viewer (an agent) may not work it. */
  async find(viewer: Viewer, id: number) {
    const row = await this.db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || (!viewer.seesAll && !(await this.mayWork(viewer.user.id, row)))) {
      throw ApiError.notFound('No such campaign');
    }
    return row;
  }

  /** An agent works a campaign when listed on it or a member of its queue. */
  async mayWork(userId: number, campaign: { id: number; queue_id: number | null }): Promise<boolean> {
    const listed = await this.db
      .selectFrom('campaign_agents')
      .select('user_id')
      .where('campaign_id', '=', campaign.id)
      .where('user_id', '=', userId)
      .where('listed', '=', 1)
      .executeTakeFirst();
    if (listed) return true;
    if (campaign.queue_id === null) return false;
    const member = await this.db
      .selectFrom('queue_members')
      .select('user_id')
      .where('queue_id', '=', campaign.queue_id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return member !== undefined;
  }

  /** 400 unless the queue exists and every agent is an enabled agent or supervisor; the ids once each. */
  private async checkWorkers(queueId: number | null, agentIds: number[]): Promise<number[]> {
    if (queueId !== null) {
      const queue = await this.db
        .selectFrom('queues')
        .select('id')
        .where('id', '=', queueId)
        .executeTakeFirst();
      if (!queue) throw ApiError.badRequest('No such queue', { field: 'queueId' });
    }
    const ids = [...new Set(agentIds)];
    if (ids.length) {
      const found = await this.db
        .selectFrom('users')
        .select('id')
        .where('id', 'in', ids)
        .where('role', 'in', ['agent', 'supervisor'])
        .where('disabled', '=', 0)
        .execute();
      const missing = ids.filter((id) => !found.some((f) => f.id === id));
      if (missing.length) throw ApiError.badRequest(`No agent ${missing.join(', ')}`, { field: 'agentIds' });
    }
    return ids;
  }

  /**
   * Changes the given fields (`agentIds` replaces the listed agents; who joined stays joined).
   * 409 for a mode change while the campaign runs; 400 when nobody would be left to work it.
   */
  async update(
    id: number,
    values: Partial<CampaignValues>,
    agentIds: number[] | undefined,
    actorId: number,
  ): Promise<void> {
    const before = await this.db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw ApiError.notFound('No such campaign');
    if (values.mode !== undefined && values.mode !== before.mode && before.state === 'running') {
      throw ApiError.conflict('The mode cannot change while the campaign runs: pause it first', {
        field: 'mode',
      });
    }
    const queueId = values.queue_id === undefined ? before.queue_id : values.queue_id;
    const ids = await this.checkWorkers(queueId, agentIds ?? []);
    const listed = agentIds === undefined ? await this.listedAgents(id) : ids;
    if (queueId === null && listed.length === 0) {
      throw ApiError.badRequest('Choose a queue or at least one agent', { field: 'agentIds' });
    }
    const listedBefore = await this.listedAgents(id);
    const now = Date.now();
    const { retry_delays, ...rest } = values;
    await this.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('campaigns')
        .set({
          ...rest,
          ...(retry_delays ? { retry_delays: JSON.stringify(retry_delays) } : {}),
          updated_at: now,
        })
        .where('id', '=', id)
        .execute();
      if (agentIds !== undefined) await this.relist(tx, id, ids);
      await recordAudit(
        tx,
        {
          actor: { kind: 'user', id: actorId },
          action: 'update',
          entity: 'campaign',
          entityId: id,
          before: { ...before, agentIds: listedBefore },
          after: { ...values, ...(agentIds !== undefined ? { agentIds: ids } : {}) },
        },
        now,
      );
    });
  }

  private async listedAgents(id: number): Promise<number[]> {
    const rows = await this.db
      .selectFrom('campaign_agents')
      .select('user_id')
      .where('campaign_id', '=', id)
      .where('listed', '=', 1)
      .execute();
    return rows.map((r) => r.user_id);
  }

  /** The listed agents become `ids`; rows of agents who joined stay (unlisted). */
  private async relist(tx: Db, id: number, ids: number[]): Promise<void> {
    await tx.updateTable('campaign_agents').set({ listed: 0 }).where('campaign_id', '=', id).execute();
    if (ids.length) {
      await tx
        .insertInto('campaign_agents')
        .values(ids.map((user_id) => ({ campaign_id: id, user_id, listed: 1, joined_at: null })))
        .onConflict((oc) => oc.columns(['campaign_id', 'user_id']).doUpdateSet({ listed: 1 }))
        .execute();
    }
    await tx
      .deleteFrom('campaign_agents')
      .where('campaign_id', '=', id)
      .where('listed', '=', 0)
      .where('joined_at', 'is', null)
      .execute();
  }

  async create(values: CampaignValues, agentIds: number[], actorId: number): Promise<number> {
    const ids = await this.checkWorkers(values.queue_id, agentIds);
    return this.db.transaction().execute(async (tx) => {
      const now = Date.now();
      const row = await tx
        .insertInto('campaigns')
        .values({
          ...values,
          retry_delays: JSON.stringify(values.retry_delays),
          created_by_user_id: actorId,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (ids.length) {
        await tx
          .insertInto('campaign_agents')
          .values(ids.map((user_id) => ({ campaign_id: row.id, user_id, listed: 1, joined_at: null })))
          .execute();
      }
      await recordAudit(
        tx,
        {
          actor: { kind: 'user', id: actorId },
          action: 'create',
          entity: 'campaign',
          entityId: row.id,
          after: { ...values, agentIds: ids },
        },
        now,
      );
      return row.id;
    });
  }

  /** The campaigns the viewer sees: all for supervisors, the ones they may work for agents. */
  async listIds(viewer: Viewer): Promise<number[]> {
    const rows = await this.db
      .selectFrom('campaigns')
      .select(['id', 'queue_id'])
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    if (viewer.seesAll) return rows.map((r) => r.id);
    const out: number[] = [];
    for (const r of rows) if (await this.mayWork(viewer.user.id, r)) out.push(r.id);
    return out;
  }

  async stats(campaignId: number): Promise<CampaignStats> {
    const [remaining, attempts, agents] = await Promise.all([
      this.db
        .selectFrom('campaign_tasks')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('campaign_id', '=', campaignId)
        .where('status', 'in', OPEN_TASK_STATUSES)
        .executeTakeFirstOrThrow(),
      this.db
        .selectFrom('dialer_attempts')
        .innerJoin('campaign_tasks', 'campaign_tasks.task_id', 'dialer_attempts.subject_id')
        .select(['dialer_attempts.outcome', (eb) => eb.fn.countAll<number>().as('n')])
        .where('dialer_attempts.kind', '=', CAMPAIGN_TASK_JOB)
        .where('campaign_tasks.campaign_id', '=', campaignId)
        .where('dialer_attempts.call_id', 'is not', null)
        // A preview agent who did not take their own call: the customer was never dialled.
        .where('dialer_attempts.outcome', '!=', 'agent_unavailable')
        .groupBy('dialer_attempts.outcome')
        .execute(),
      this.db
        .selectFrom('campaign_agents')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('campaign_id', '=', campaignId)
        .where('joined_at', 'is not', null)
        .executeTakeFirstOrThrow(),
    ]);
    const count = (outcome: string) => Number(attempts.find((a) => a.outcome === outcome)?.n ?? 0);
    const recent = await this.recentDials(campaignId, ANSWER_WINDOW);
    return {
      dialled: attempts.reduce((sum, a) => sum + Number(a.n), 0),
      answered: count('answered'),
      abandoned: count('abandoned'),
      remaining: Number(remaining.n),
      agents: Number(agents.n),
      abandonRate: await this.abandonRate(campaignId),
      answerRate: recent.dialled === 0 ? null : Math.round((recent.answered / recent.dialled) * 1000) / 10,
      dialsPerAgent: this.dialsPerAgent.get(campaignId) ?? null,
    };
  }

  async load(viewer: Viewer, id: number): Promise<Campaign> {
    const row = await this.db
      .selectFrom('campaigns')
      .leftJoin('queues', 'queues.id', 'campaigns.queue_id')
      .selectAll('campaigns')
      .select('queues.name as queue_name')
      .where('campaigns.id', '=', id)
      .executeTakeFirst();
    if (!row) throw ApiError.notFound('No such campaign');
    const agents = await this.db
      .selectFrom('campaign_agents')
      .innerJoin('users', 'users.id', 'campaign_agents.user_id')
      .select(['users.id', 'users.display_name', 'campaign_agents.joined_at', 'campaign_agents.listed'])
      .where('campaign_agents.campaign_id', '=', id)
      .orderBy('users.display_name')
      .execute();
    return {
      id: row.id,
      name: row.name,
      mode: row.mode,
      state: row.state,
      queue: row.queue_id !== null && row.queue_name ? { id: row.queue_id, name: row.queue_name } : null,
      agents: agents.map((a) => ({
        id: a.id,
        displayName: a.display_name,
        joined: a.joined_at !== null,
        listed: a.listed === 1,
      })),
      callerId: row.caller_id,
      maxAttempts: row.max_attempts,
      retryDelaySeconds: parseRetryDelays(row.retry_delays),
      callingHours:
        row.calling_from !== null && row.calling_to !== null
          ? { from: row.calling_from, to: row.calling_to }
          : null,
      abandonCapPercent: Number(row.abandon_cap),
      abandonPrompt: row.abandon_prompt,
      stats: await this.stats(id),
      joined: agents.some((a) => a.id === viewer.user.id && a.joined_at !== null),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  /**
   * Adds dial tasks, all or none: each must exist and be in no campaign yet. A task is not dialled
   * before its start date.
   */
  /** `within`: the transaction that wrote the tasks, so they join the campaign all or none with it. */
  async addTasks(campaignId: number, taskIds: number[], actorId: number, within?: Db): Promise<number> {
    const ids = [...new Set(taskIds)];
    const add = async (tx: Db) => {
      const tasks = await tx
        .selectFrom('dial_tasks')
        .select(['id', 'start_at'])
        .where('id', 'in', ids)
        .execute();
      const missing = ids.filter((id) => !tasks.some((t) => t.id === id));
      if (missing.length)
        throw ApiError.badRequest(`No dial task ${missing.slice(0, 20).join(', ')}`, { missing });
      const taken = await tx
        .selectFrom('campaign_tasks')
        .select(['task_id', 'campaign_id'])
        .where('task_id', 'in', ids)
        .execute();
      if (taken.length) {
        throw ApiError.conflict(
          `Dial task ${taken
            .slice(0, 20)
            .map((t) => t.task_id)
            .join(', ')} is already in a campaign`,
          { taken: taken.map((t) => ({ taskId: t.task_id, campaignId: t.campaign_id })) },
        );
      }
      const now = Date.now();
      for (let i = 0; i < tasks.length; i += 200) {
        await tx
          .insertInto('campaign_tasks')
          .values(
            tasks.slice(i, i + 200).map((t) => ({
              task_id: t.id,
              campaign_id: campaignId,
              next_at: t.start_at,
              added_at: now,
              updated_at: now,
            })),
          )
          .execute();
      }
      // New work reopens a finished campaign, paused: a supervisor starts it again.
      await tx
        .updateTable('campaigns')
        .set({ state: 'paused', updated_at: now })
        .where('id', '=', campaignId)
        .where('state', '=', 'finished')
        .execute();
      await recordAudit(
        tx,
        {
          actor: { kind: 'user', id: actorId },
          action: 'add_tasks',
          entity: 'campaign',
          entityId: campaignId,
          after: { taskIds: ids },
        },
        now,
      );
      return ids.length;
    };
    return within ? add(within) : this.db.transaction().execute(add);
  }

  async setState(campaignId: number, from: CampaignState[], to: CampaignState, actorId: number | null) {
    const now = Date.now();
    return this.db.transaction().execute(async (tx) => {
      const r = await tx
        .updateTable('campaigns')
        .set({ state: to, updated_at: now })
        .where('id', '=', campaignId)
        .where('state', 'in', from)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) return false;
      await recordAudit(
        tx,
        {
          actor: actorId === null ? { kind: 'system', id: null } : { kind: 'user', id: actorId },
          action: to === 'running' ? 'start' : to === 'paused' ? 'pause' : 'finish',
          entity: 'campaign',
          entityId: campaignId,
          after: { state: to },
        },
        now,
      );
      return true;
    });
  }

  async openTasks(campaignId: number): Promise<number> {
    const r = await this.db
      .selectFrom('campaign_tasks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('campaign_id', '=', campaignId)
      .where('status', 'in', OPEN_TASK_STATUSES)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async join(campaignId: number, userId: number): Promise<void> {
    const now = Date.now();
    await this.db
      .insertInto('campaign_agents')
      .values({ campaign_id: campaignId, user_id: userId, listed: 0, joined_at: now })
      .onConflict((oc) =>
        oc
          .columns(['campaign_id', 'user_id'])
          .doUpdateSet({ joined_at: now })
          .where('campaign_agents.joined_at', 'is', null),
      )
      .execute();
  }

  /** The agent leaves; a preview task reserved to them goes back to the others. */
  async leave(campaignId: number, userId: number): Promise<void> {
    const now = Date.now();
    await this.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('campaign_agents')
        .set({ joined_at: null })
        .where('campaign_id', '=', campaignId)
        .where('user_id', '=', userId)
        .execute();
      await tx
        .updateTable('campaign_tasks')
        .set({ status: 'pending', agent_user_id: null, updated_at: now })
        .where('campaign_id', '=', campaignId)
        .where('agent_user_id', '=', userId)
        .where('status', '=', 'reserved')
        .execute();
    });
  }

  /** The joined agents of running campaigns of a mode, oldest join first. */
  async joinedAgents(mode: CampaignMode) {
    return this.db
      .selectFrom('campaign_agents')
      .innerJoin('campaigns', 'campaigns.id', 'campaign_agents.campaign_id')
      .select(['campaign_agents.campaign_id', 'campaign_agents.user_id'])
      .where('campaigns.state', '=', 'running')
      .where('campaigns.mode', '=', mode)
      .where('campaign_agents.joined_at', 'is not', null)
      .orderBy('campaign_agents.joined_at')
      .execute();
  }

  async hasJoined(campaignId: number, userId: number): Promise<boolean> {
    const r = await this.db
      .selectFrom('campaign_agents')
      .select('user_id')
      .where('campaign_id', '=', campaignId)
      .where('user_id', '=', userId)
      .where('joined_at', 'is not', null)
      .executeTakeFirst();
    return r !== undefined;
  }

  async tasks(
    viewer: Viewer,
    campaignId: number,
    query: { status?: CampaignTaskStatus; page: number; limit: number; taskIds?: number[] },
  ): Promise<{ tasks: CampaignTask[]; total: number }> {
    let base = this.db
      .selectFrom('campaign_tasks')
      .innerJoin('dial_tasks', 'dial_tasks.id', 'campaign_tasks.task_id')
      .where('campaign_tasks.campaign_id', '=', campaignId);
    if (query.status) base = base.where('campaign_tasks.status', '=', query.status);
    if (query.taskIds) base = base.where('campaign_tasks.task_id', 'in', query.taskIds);
    const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await base
      .leftJoin('customers', 'customers.id', 'dial_tasks.customer_id')
      .leftJoin('users', 'users.id', 'campaign_tasks.agent_user_id')
      .select([
        'campaign_tasks.task_id',
        'campaign_tasks.status',
        'campaign_tasks.attempts',
        'campaign_tasks.outcome',
        'campaign_tasks.next_at',
        'campaign_tasks.agent_user_id',
        'users.display_name',
        'dial_tasks.customer_id',
        'customers.name as customer_name',
        'dial_tasks.number',
        'dial_tasks.note',
        'dial_tasks.result',
      ])
      .orderBy('campaign_tasks.next_at')
      .orderBy('campaign_tasks.task_id')
      .limit(query.limit)
      .offset((query.page - 1) * query.limit)
      .execute();
    return {
      total: Number(total.n),
      tasks: rows.map((r) => ({
        id: r.task_id,
        customer:
          r.customer_id !== null && r.customer_name !== null
            ? { id: r.customer_id, name: r.customer_name }
            : null,
        number: viewer.mask(r.number),
        note: r.note,
        status: r.status,
        attempts: r.attempts,
        outcome: r.outcome,
        result: r.result,
        nextAt: r.next_at,
        agent:
          r.agent_user_id !== null && r.display_name !== null
            ? { id: r.agent_user_id, displayName: r.display_name }
            : null,
      })),
    };
  }

  async task(viewer: Viewer, campaignId: number, taskId: number): Promise<CampaignTask> {
    const { tasks } = await this.tasks(viewer, campaignId, { page: 1, limit: 1, taskIds: [taskId] });
    if (!tasks[0]) throw ApiError.notFound('No such task in this campaign');
    return tasks[0];
  }
}
