import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not as it is now
type AnyDb = Kysely<any>;

/** Every call looks its customer up by the caller's digits when it starts. */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.createIndex('customer_phones_digits_idx').on('customer_phones').column('digits').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('customer_phones_digits_idx').execute();
}
