import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../database';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not as it is now
type AnyDb = Kysely<any>;

/**
 * `users.time_zone` becomes optional: null means the user has not chosen one, and the web app
 * shows dates in the browser's zone until they do (docs/agent-desk.md, "Time zones"). Nobody could
 * choose a zone before this change, so the old default `UTC` is read as "not chosen".
 *
 * SQLite cannot drop NOT NULL in place: the column is copied into a new one that replaces it.
 */
export async function up(db: AnyDb): Promise<void> {
  if (isPostgres(db)) {
    await sql`alter table users alter column time_zone drop not null`.execute(db);
    await sql`alter table users alter column time_zone drop default`.execute(db);
    await db.updateTable('users').set({ time_zone: null }).where('time_zone', '=', 'UTC').execute();
    return;
  }
  await db.schema.alterTable('users').addColumn('time_zone_chosen', 'text').execute();
  await db
    .updateTable('users')
    .set({ time_zone_chosen: sql`case when time_zone = 'UTC' then null else time_zone end` })
    .execute();
  await db.schema.alterTable('users').dropColumn('time_zone').execute();
  await db.schema.alterTable('users').renameColumn('time_zone_chosen', 'time_zone').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.updateTable('users').set({ time_zone: 'UTC' }).where('time_zone', 'is', null).execute();
  if (isPostgres(db)) {
    await sql`alter table users alter column time_zone set default 'UTC'`.execute(db);
    await sql`alter table users alter column time_zone set not null`.execute(db);
  }
}
