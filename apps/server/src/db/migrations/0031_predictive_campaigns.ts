import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not as it is now
type AnyDb = Kysely<any>;

/**
 * Predictive campaigns (docs/dialer.md, "Campaigns"): the abandon-rate cap in percent (`abandon_cap`,
 * 3 by default) above which pacing falls back to one call per free agent, and what an abandoned
 * customer hears (`abandon_prompt`: a built-in prompt or `sound:<id>`; null: the "agents busy" one).
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('campaigns')
    .addColumn('abandon_cap', 'real', (c) => c.notNull().defaultTo(3))
    .execute();
  await db.schema.alterTable('campaigns').addColumn('abandon_prompt', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('campaigns').dropColumn('abandon_prompt').execute();
  await db.schema.alterTable('campaigns').dropColumn('abandon_cap').execute();
}
