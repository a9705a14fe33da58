import {
  errorCodes,
  formatMicros,
  type Rate,
  type RateTable,
  type rateInputSchema,
  type rateTableInputSchema,
  type rateTableUpdateSchema,
} from '@switchboard/shared';
import type { z } from 'zod';
import { unlessTaken } from '../admin/admin-helpers';
import type { Db } from '../db/database';
import { ApiError } from '../http/api-error';
import { fieldError } from '../http/validate';
import type { CsvRate } from './rate-csv';
import { type ImportOutcome, importRates } from './rate-tables';
import type { RatingService } from './rating-service';

export type RateValues = z.output<typeof rateInputSchema>;

type RateRow = {
  id: number;
  prefix: string;
  description: string | null;
  price_per_minute_micros: number;
  connect_fee_micros: number;
  initial_increment_s: number;
  increment_s: number;
  effective_from: number;
};

function toRate(r: RateRow): Rate {
  return {
    id: r.id,
    prefix: r.prefix,
    description: r.description,
    pricePerMinute: formatMicros(Number(r.price_per_minute_micros)),
    connectFee: formatMicros(Number(r.connect_fee_micros)),
    initialIncrementS: r.initial_increment_s,
    incrementS: r.increment_s,
    effectiveFrom: Number(r.effective_from),
  };
}

/** A rate's columns from the API's input (prices already in micros). */
function rateColumns(input: RateValues) {
  return {
    prefix: input.prefix,
    description: input.description,
    price_per_minute_micros: input.pricePerMinute,
    connect_fee_micros: input.connectFee,
    initial_increment_s: input.initialIncrementS,
    increment_s: input.incrementS,
    effective_from: input.effectiveFrom,
  };
}

const duplicateRate = () =>
  new ApiError(
    409,
    errorCodes.conflict,
    'prefix: The table already has a rate for this prefix from this date',
    {
      fields: [{ field: 'prefix', message: 'A rate for this prefix and effective date exists' }],
    },
  );

const tableNameTaken = () => fieldError('name', 'A rate table with this name exists');

/**
 * Rate tables and their rates in the database, read in the API's shape. Every change of a table's
 * rates moves its updated_at (other nodes reload their index) and drops this node's index of it.
 */
export class RateTableStore {
  constructor(
    private readonly db: Db,
    private readonly rating: Pick<RatingService, 'invalidate'>,
  ) {}

  /** Every table by name (or the one with this id), with its rate count and the plans on it. */
  async list(id?: number): Promise<RateTable[]> {
    let q = this.db
      .selectFrom('rate_tables')
      .select((eb) => [
        'rate_tables.id',
        'rate_tables.name',
        'rate_tables.currency',
        'rate_tables.description',
        'rate_tables.updated_at',
        eb
          .selectFrom('rate_table_rates')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('rate_table_rates.rate_table_id', '=', 'rate_tables.id')
          .as('rate_count'),
      ])
      .orderBy('rate_tables.name');
    if (id !== undefined) q = q.where('rate_tables.id', '=', id);
    const rows = await q.execute();
    const plans = await this.db
      .selectFrom('plans')
      .select(['id', 'name', 'rate_table_id'])
      .orderBy('name')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      currency: r.currency,
      description: r.description,
      rateCount: Number(r.rate_count ?? 0),
      plans: plans.filter((p) => p.rate_table_id === r.id).map((p) => ({ id: p.id, name: p.name })),
      updatedAt: Number(r.updated_at),
    }));
  }

  async get(id: number): Promise<RateTable> {
    const [t] = await this.list(id);
    if (!t) throw ApiError.notFound('No such rate table');
    return t;
  }

  async create(input: z.output<typeof rateTableInputSchema>): Promise<number> {
    const now = Date.now();
    const row = await unlessTaken(
      this.db
        .insertInto('rate_tables')
        .values({ ...input, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow(),
      tableNameTaken,
    );
    return row.id;
  }

  /** Name and description only: the rates stay, so the rating index does too. */
  async update(id: number, input: z.output<typeof rateTableUpdateSchema>): Promise<void> {
    await unlessTaken(
      this.db
        .updateTable('rate_tables')
        .set({ ...input, updated_at: Date.now() })
        .where('id', '=', id)
        .execute(),
      tableNameTaken,
    );
  }

  /** Deletes a table no plan uses (its rates go with it). */
  async remove(table: RateTable): Promise<void> {
    if (table.plans.length) {
      throw ApiError.conflict(
        `The table is used by plan(s) ${table.plans.map((p) => p.name).join(', ')}: change them first`,
      );
    }
    await this.db.deleteFrom('rate_tables').where('id', '=', table.id).execute();
    this.rating.invalidate(table.id);
  }

  private async touched(id: number): Promise<void> {
    await this.db.updateTable('rate_tables').set({ updated_at: Date.now() }).where('id', '=', id).execute();
    this.rating.invalidate(id);
  }

  private async rate(rateId: number): Promise<Rate> {
    return toRate(
      (await this.db
        .selectFrom('rate_table_rates')
        .selectAll()
        .where('id', '=', rateId)
        .executeTakeFirstOrThrow()) as RateRow,
    );
  }

  /** A page of a table's rates by prefix then date, optionally those starting with `prefix`. */
  async ratesPage(
    id: number,
    q: { prefix?: string; page: number; pageSize: number },
  ): Promise<{ rates: Rate[]; total: number }> {
    let base = this.db.selectFrom('rate_table_rates').where('rate_table_id', '=', id);
    if (q.prefix) base = base.where('prefix', 'like', `${q.prefix}%`);
    const rows = await base
      .selectAll()
      .orderBy('prefix')
      .orderBy('effective_from')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute();
    const count = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return { rates: rows.map(toRate), total: Number(count.n) };
  }

  async addRate(id: number, input: RateValues): Promise<Rate> {
    const row = await unlessTaken(
      this.db
        .insertInto('rate_table_rates')
        .values({ rate_table_id: id, ...rateColumns(input) })
        .returning('id')
        .executeTakeFirstOrThrow(),
      duplicateRate,
    );
    await this.touched(id);
    return this.rate(row.id);
  }

  /** Replaces a rate of this table; answers the rate before and after. */
  async updateRate(id: number, rateId: number, input: RateValues): Promise<{ before: Rate; after: Rate }> {
    const before = await this.db
      .selectFrom('rate_table_rates')
      .selectAll()
      .where('id', '=', rateId)
      .where('rate_table_id', '=', id)
      .executeTakeFirst();
    if (!before) throw ApiError.notFound('No such rate in this table');
    await unlessTaken(
      this.db.updateTable('rate_table_rates').set(rateColumns(input)).where('id', '=', rateId).execute(),
      duplicateRate,
    );
    await this.touched(id);
    return { before: toRate(before as RateRow), after: await this.rate(rateId) };
  }

  /** Deletes a rate of this table; answers what it was. */
  async removeRate(id: number, rateId: number): Promise<Rate> {
    const before = await this.db
      .deleteFrom('rate_table_rates')
      .where('id', '=', rateId)
      .where('rate_table_id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!before) throw ApiError.notFound('No such rate in this table');
    await this.touched(id);
    return toRate(before as RateRow);
  }

  /** Validated rates from a file, all or nothing (see importRates). */
  async importRates(id: number, rates: CsvRate[], mode: 'replace' | 'add'): Promise<ImportOutcome> {
    const outcome = await importRates(this.db, id, rates, mode);
    if (outcome.ok) this.rating.invalidate(id);
    return outcome;
  }

  /** Every rate of a table, by prefix then date, as the CSV export writes them. */
  async allRates(id: number): Promise<Omit<CsvRate, 'line'>[]> {
    const rows = (await this.db
      .selectFrom('rate_table_rates')
      .selectAll()
      .where('rate_table_id', '=', id)
      .orderBy('prefix')
      .orderBy('effective_from')
      .execute()) as RateRow[];
    return rows.map((r) => ({
      prefix: r.prefix,
      description: r.description,
      pricePerMinuteMicros: Number(r.price_per_minute_micros),
      connectFeeMicros: Number(r.connect_fee_micros),
      initialIncrementS: r.initial_increment_s,
      incrementS: r.increment_s,
      effectiveFrom: Number(r.effective_from),
    }));
  }
}
