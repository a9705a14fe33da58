import type { Kysely } from 'kysely';
import { isPostgres } from '../database';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not as it is now
type AnyDb = Kysely<any>;

/**
 * Signed-in time, the denominator of occupancy (docs/supervisor.md "Reports"). `agent_sessions` holds
 * one row per span an agent was signed in on a node: from the sign-in to the sign-out, and how it
 * ended (`signed_out`, `forced`, `desk_closed`, `removed`, `node_restart`); an open span has no end
 * yet. `agent_pauses` holds the spans of the session during which the agent was Paused in every
 * queue, with the reason.
 */
export async function up(db: AnyDb): Promise<void> {
  const pg = isPostgres(db);
  const sessions = db.schema.createTable('agent_sessions');
  await (pg
    ? sessions.addColumn('id', 'serial', (c) => c.primaryKey())
    : sessions.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
  )
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('node_id', 'text', (c) => c.notNull())
    .addColumn('signed_in_at', 'bigint', (c) => c.notNull())
    .addColumn('signed_out_at', 'bigint')
    .addColumn('end_reason', 'text')
    .execute();
  await db.schema
    .createIndex('agent_sessions_user_time')
    .on('agent_sessions')
    .columns(['user_id', 'signed_in_at'])
    .execute();
  await db.schema
    .createIndex('agent_sessions_open')
    .on('agent_sessions')
    .columns(['node_id', 'signed_out_at'])
    .execute();
  const pauses = db.schema.createTable('agent_pauses');
  await (pg
    ? pauses.addColumn('id', 'serial', (c) => c.primaryKey())
    : pauses.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
  )
    .addColumn('session_id', 'integer', (c) => c.notNull().references('agent_sessions.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('reason', 'text')
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('agent_pauses_user_time')
    .on('agent_pauses')
    .columns(['user_id', 'started_at'])
    .execute();
  await db.schema.createIndex('agent_pauses_session').on('agent_pauses').column('session_id').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('agent_pauses').execute();
  await db.schema.dropTable('agent_sessions').execute();
}
