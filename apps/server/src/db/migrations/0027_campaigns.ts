import type { Kysely } from 'kysely';
import { isPostgres } from '../database';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not as it is now
type AnyDb = Kysely<any>;

/**
 * Outbound campaigns (docs/dialer.md, "Campaigns").
 *
 * - `campaigns`: a supervisor's grouping of dial tasks with how they are worked (`preview`: the agent
 *   sees the next task and presses Call; `progressive`: the next number is dialled as soon as an agent
 *   of the campaign is idle), who works them (`queue_id`'s members and/or the listed agents), the
 *   caller ID, dials per task, the wait before a retry by the last result (`retry_delays`, JSON
 *   seconds), calling hours (null: the dialing policy's) and `state` draft/running/paused/finished.
 * - `campaign_agents`: the listed agents (`listed` = 1) and who has joined (`joined_at`).
 * - `campaign_tasks`: a dial task in a campaign (one campaign at a time): `pending` until due
 *   (`next_at`), `reserved` to a preview agent, `dialling`, then `done` (reached) or `closed` (gave up:
 *   last attempt, do-not-call, past the task's end) with the last `outcome`.
 */
export async function up(db: AnyDb): Promise<void> {
  const s = db.schema;
  const table = s.createTable('campaigns');
  await (isPostgres(db)
    ? table.addColumn('id', 'serial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
  )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('draft'))
    .addColumn('queue_id', 'integer')
    .addColumn('caller_id', 'text')
    .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(3))
    .addColumn('retry_delays', 'text', (c) => c.notNull())
    .addColumn('calling_from', 'text')
    .addColumn('calling_to', 'text')
    .addColumn('created_by_user_id', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await s
    .createTable('campaign_agents')
    .addColumn('campaign_id', 'integer', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('listed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('joined_at', 'bigint')
    .addPrimaryKeyConstraint('campaign_agents_pk', ['campaign_id', 'user_id'])
    .execute();
  await s
    .createTable('campaign_tasks')
    .addColumn('task_id', 'integer', (c) => c.primaryKey())
    .addColumn('campaign_id', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('next_at', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('agent_user_id', 'integer')
    .addColumn('outcome', 'text')
    .addColumn('added_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await s
    .createIndex('campaign_tasks_due_idx')
    .on('campaign_tasks')
    .columns(['campaign_id', 'status', 'next_at'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('campaign_tasks').execute();
  await db.schema.dropTable('campaign_agents').execute();
  await db.schema.dropTable('campaigns').execute();
}
