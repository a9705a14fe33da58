import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not as it is now
type AnyDb = Kysely<any>;

/**
 * Calls the server places or steers itself (call scripts) name the service that ran them: web
 * callback, access-number callback, a call flow, the dialer. `type` keeps its meaning for the desk
 * (inbound, manual, auto dialed).
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('calls').addColumn('service', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('calls').dropColumn('service').execute();
}
