import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../database';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not as it is now
type AnyDb = Kysely<any>;

/**
 * Statistics → CDR at a million rows (bench/cdr):
 * - SQLite has no trigram index, so partial-number search gets an FTS5 table with the trigram
 *   tokenizer over calls.customer_digits (external content: it stores only the index), kept in step
 *   by triggers. PostgreSQL already has its pg_trgm GIN index from 0001.
 * - Totals (count, answered, total duration) over a time range read only the index when it carries
 *   disposition and duration: (started_at, disposition, duration_s).
 */
export async function up(db: AnyDb): Promise<void> {
  if (!isPostgres(db)) {
    await sql`create virtual table calls_digits_fts using fts5(customer_digits, content='calls', content_rowid='id', tokenize='trigram')`.execute(
      db,
    );
    await sql`insert into calls_digits_fts(calls_digits_fts) values ('rebuild')`.execute(db);
    await sql`create trigger calls_digits_fts_ai after insert on calls begin
      insert into calls_digits_fts(rowid, customer_digits) values (new.id, new.customer_digits);
    end`.execute(db);
    await sql`create trigger calls_digits_fts_ad after delete on calls begin
      insert into calls_digits_fts(calls_digits_fts, rowid, customer_digits) values ('delete', old.id, old.customer_digits);
    end`.execute(db);
    await sql`create trigger calls_digits_fts_au after update of customer_digits on calls begin
      insert into calls_digits_fts(calls_digits_fts, rowid, customer_digits) values ('delete', old.id, old.customer_digits);
      insert into calls_digits_fts(rowid, customer_digits) values (new.id, new.customer_digits);
    end`.execute(db);
  }
  await db.schema
    .createIndex('calls_started_totals_idx')
    .on('calls')
    .columns(['started_at', 'disposition', 'duration_s'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('calls_started_totals_idx').ifExists().execute();
  if (!isPostgres(db)) {
    await sql`drop trigger if exists calls_digits_fts_au`.execute(db);
    await sql`drop trigger if exists calls_digits_fts_ad`.execute(db);
    await sql`drop trigger if exists calls_digits_fts_ai`.execute(db);
    await sql`drop table if exists calls_digits_fts`.execute(db);
  }
}
