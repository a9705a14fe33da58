import type { Plan, planInputSchema, planUpdateSchema } from '@switchboard/shared';
import type { z } from 'zod';
import { unlessTaken } from '../admin/admin-helpers';
import type { Db } from '../db/database';
import { ApiError } from '../http/api-error';
import { fieldError } from '../http/validate';
import type { RateTableStore } from './rate-table-store';

const planNameTaken = () => fieldError('name', 'A plan with this name exists');

/** Plans (a name and the rate table its subscribers are rated by) in the database, in the API's shape. */
export class PlanStore {
  constructor(
    private readonly db: Db,
    private readonly tables: RateTableStore,
  ) {}

  /** Every plan by name (or the one with this id), with its table and how many subscribers it has. */
  async list(id?: number): Promise<Plan[]> {
    let q = this.db
      .selectFrom('plans')
      .innerJoin('rate_tables', 'rate_tables.id', 'plans.rate_table_id')
      .select((eb) => [
        'plans.id',
        'plans.name',
        'plans.rate_table_id',
        'plans.description',
        'rate_tables.name as table_name',
        'rate_tables.currency',
        eb
          .selectFrom('subscribers')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('subscribers.plan_id', '=', 'plans.id')
          .as('subscriber_count'),
      ])
      .orderBy('plans.name');
    if (id !== undefined) q = q.where('plans.id', '=', id);
    return (await q.execute()).map((p) => ({
      id: p.id,
      name: p.name,
      rateTableId: p.rate_table_id,
      rateTableName: p.table_name,
      currency: p.currency,
      description: p.description,
      subscriberCount: Number(p.subscriber_count ?? 0),
    }));
  }

  async get(id: number): Promise<Plan> {
    const [p] = await this.list(id);
    if (!p) throw ApiError.notFound('No such plan');
    return p;
  }

  /** The table a plan names, or the 400 that says it does not exist. */
  private table(rateTableId: number) {
    return this.tables.get(rateTableId).catch(() => {
      throw fieldError('rateTableId', 'No such rate table');
    });
  }

  async create(input: z.output<typeof planInputSchema>): Promise<number> {
    await this.table(input.rateTableId);
    const now = Date.now();
    const row = await unlessTaken(
      this.db
        .insertInto('plans')
        .values({
          name: input.name,
          rate_table_id: input.rateTableId,
          description: input.description,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow(),
      planNameTaken,
    );
    return row.id;
  }

  async update(before: Plan, input: z.output<typeof planUpdateSchema>): Promise<void> {
    if (input.rateTableId !== undefined && input.rateTableId !== before.rateTableId) {
      const table = await this.table(input.rateTableId);
      // Subscribers keep their currency: a plan in use may only move to a table in the same one.
      if (table.currency !== before.currency && before.subscriberCount > 0) {
        throw fieldError(
          'rateTableId',
          `Subscribers on this plan pay in ${before.currency}; the table is in ${table.currency}`,
        );
      }
    }
    await unlessTaken(
      this.db
        .updateTable('plans')
        .set({
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.rateTableId !== undefined ? { rate_table_id: input.rateTableId } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          updated_at: Date.now(),
        })
        .where('id', '=', before.id)
        .execute(),
      planNameTaken,
    );
  }

  /** Deletes a plan no subscriber is on. */
  async remove(before: Plan): Promise<void> {
    if (before.subscriberCount > 0) {
      throw ApiError.conflict(`${before.subscriberCount} subscriber(s) are on this plan: move them first`);
    }
    await this.db.deleteFrom('plans').where('id', '=', before.id).execute();
  }
}
