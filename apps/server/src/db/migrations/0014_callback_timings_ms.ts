import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not as it is now
type AnyDb = Kysely<any>;

const timings = [
  ['ring_seconds', 'ring_ms', 2000],
  ['delay_s', 'delay_ms', 3000],
  ['digit_timeout_s', 'first_digit_timeout_ms', 10_000],
  ['inter_digit_timeout_s', 'inter_digit_timeout_ms', 5000],
] as const;

/**
 * A callback service's timings (ring before busy, delay before the call back, first-digit and
 * inter-digit timeouts) in milliseconds instead of whole seconds, so a service can be set to
 * fractions of a second (the API still speaks seconds, with millisecond precision).
 */
export async function up(db: AnyDb): Promise<void> {
  for (const [seconds, ms, def] of timings) {
    await db.schema
      .alterTable('callback_services')
      .addColumn(ms, 'integer', (c) => c.notNull().defaultTo(def))
      .execute();
    await sql`update callback_services set ${sql.ref(ms)} = ${sql.ref(seconds)} * 1000`.execute(db);
    await db.schema.alterTable('callback_services').dropColumn(seconds).execute();
  }
}

export async function down(db: AnyDb): Promise<void> {
  for (const [seconds, ms, def] of timings) {
    await db.schema
      .alterTable('callback_services')
      .addColumn(seconds, 'integer', (c) => c.notNull().defaultTo(def / 1000))
      .execute();
    await sql`update callback_services set ${sql.ref(seconds)} = (${sql.ref(ms)} + 999) / 1000`.execute(db);
    await db.schema.alterTable('callback_services').dropColumn(ms).execute();
  }
}
