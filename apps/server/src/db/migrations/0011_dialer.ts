import type { CreateTableBuilder, Kysely } from 'kysely';
import { isPostgres } from '../database';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not as it is now
type AnyDb = Kysely<any>;

function withId<T extends string>(db: AnyDb, table: CreateTableBuilder<T, never>) {
  return isPostgres(db)
    ? table.addColumn('id', 'serial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

/**
 * The dialer.
 *
 * - `dialer_jobs`: due outbound work (a scheduled callback, later a queued callback or a campaign
 *   number). A job is `pending` until a node claims it: the claim sets it `dialling` with the node's
 *   lease; `call_id` is written before the first INVITE, so after a crash a job without a call is
 *   safe to dial again and one with a call is not (it becomes `interrupted`). A retry puts the same
 *   row back to `pending` with a later `due_at`.
 * - `dialer_attempts`: every dial and its outcome, for a plan's history.
 * - `do_not_call`: numbers (E.164) no outbound path may dial.
 * - `trunks.dialer_calls_per_second` / `dialer_max_concurrent`: a carrier's own caps.
 * - `callback_plans.mode` (`remind`, `agent_first`, `customer_first`) and `queue_id` (where a
 *   customer-first callback goes when the owner does not take it).
 */
export async function up(db: AnyDb): Promise<void> {
  const s = db.schema;
  await withId(db, s.createTable('dialer_jobs'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'integer')
    .addColumn('number', 'text')
    .addColumn('trunk_id', 'integer')
    .addColumn('payload', 'text')
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempt', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('call_id', 'integer')
    .addColumn('outcome', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await s.createIndex('dialer_jobs_due_idx').on('dialer_jobs').columns(['status', 'due_at']).execute();
  await s.createIndex('dialer_jobs_subject_idx').on('dialer_jobs').columns(['kind', 'subject_id']).execute();

  await withId(db, s.createTable('dialer_attempts'))
    .addColumn('job_id', 'integer', (c) => c.notNull().references('dialer_jobs.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'integer')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('call_id', 'integer')
    .execute();
  await s
    .createIndex('dialer_attempts_subject_idx')
    .on('dialer_attempts')
    .columns(['kind', 'subject_id', 'at'])
    .execute();

  await withId(db, s.createTable('do_not_call'))
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('reason', 'text')
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await s
    .alterTable('callback_plans')
    .addColumn('mode', 'text', (c) => c.notNull().defaultTo('remind'))
    .execute();
  await s.alterTable('callback_plans').addColumn('queue_id', 'integer').execute();
  await s.alterTable('trunks').addColumn('dialer_calls_per_second', 'real').execute();
  await s.alterTable('trunks').addColumn('dialer_max_concurrent', 'integer').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('trunks').dropColumn('dialer_max_concurrent').execute();
  await db.schema.alterTable('trunks').dropColumn('dialer_calls_per_second').execute();
  await db.schema.alterTable('callback_plans').dropColumn('queue_id').execute();
  await db.schema.alterTable('callback_plans').dropColumn('mode').execute();
  await db.schema.dropTable('do_not_call').execute();
  await db.schema.dropTable('dialer_attempts').execute();
  await db.schema.dropTable('dialer_jobs').execute();
}
