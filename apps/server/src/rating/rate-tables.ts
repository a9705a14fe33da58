import type { RateImportRowError } from '@switchboard/shared';
import type { Kysely } from 'kysely';
import type { Db } from '../db/database';
import type { Database } from '../db/schema';
import type { CsvRate } from './rate-csv';

const INSERT_BATCH = 500;

export type ImportOutcome = { ok: true; imported: number } | { ok: false; errors: RateImportRowError[] };

/**
 * Writes validated rates into a table in one transaction: `replace` makes them the table's rates,
 * `add` adds them and refuses (per row, nothing written) any that repeats a prefix and effective
 * date the table already has. The table's updated_at moves, so every node reloads its index.
 */
export async function importRates(
  db: Db,
  rateTableId: number,
  rates: (Omit<CsvRate, 'line'> & { line?: number })[],
  mode: 'replace' | 'add',
  now = Date.now(),
): Promise<ImportOutcome> {
  return db.transaction().execute(async (tx) => {
    if (mode === 'replace') {
      await tx.deleteFrom('rate_table_rates').where('rate_table_id', '=', rateTableId).execute();
    } else {
      const existing = await tx
        .selectFrom('rate_table_rates')
        .select(['prefix', 'effective_from'])
        .where('rate_table_id', '=', rateTableId)
        .execute();
      const keys = new Set(existing.map((r) => `${r.prefix}@${Number(r.effective_from)}`));
      const errors: RateImportRowError[] = [];
      for (const r of rates) {
        if (keys.has(`${r.prefix}@${r.effectiveFrom}`)) {
          errors.push({
            line: r.line ?? 0,
            field: 'prefix',
            message: `The table already has a rate for prefix ${r.prefix} from this date`,
          });
        }
      }
      if (errors.length) return { ok: false, errors: errors.slice(0, 200) };
    }
    await insertRates(tx, rateTableId, rates);
    await tx.updateTable('rate_tables').set({ updated_at: now }).where('id', '=', rateTableId).execute();
    return { ok: true, imported: rates.length };
  });
}

export async function insertRates(
  db: Kysely<Database>,
  rateTableId: number,
  rates: Omit<CsvRate, 'line'>[],
): Promise<void> {
  for (let i = 0; i < rates.length; i += INSERT_BATCH) {
    await db
      .insertInto('rate_table_rates')
      .values(
        rates.slice(i, i + INSERT_BATCH).map((r) => ({
          rate_table_id: rateTableId,
          prefix: r.prefix,
          description: r.description,
          price_per_minute_micros: r.pricePerMinuteMicros,
          connect_fee_micros: r.connectFeeMicros,
          initial_increment_s: r.initialIncrementS,
          increment_s: r.incrementS,
          effective_from: r.effectiveFrom,
        })),
      )
      .execute();
  }
}
