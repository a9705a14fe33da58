import type { pauseReasonInputSchema, pauseReasonUpdateSchema } from '@switchboard/shared';
import type { Selectable } from 'kysely';
import type { z } from 'zod';
import { auditBy, conflictOnUnique } from '../admin/admin-helpers';
import type { Db } from '../db/database';
import type { PauseReasonsTable } from '../db/schema';
import { ApiError } from '../http/api-error';

type PauseReasonInput = z.infer<typeof pauseReasonInputSchema>;
type PauseReasonUpdate = z.infer<typeof pauseReasonUpdateSchema>;
type PauseReasonRow = Selectable<PauseReasonsTable>;

/** The reasons agents pause with, as the admin API reads and writes them. */
export class PauseReasonStore {
  constructor(private readonly db: Db) {}

  /** Every reason, active or not, in the order agents see them. */
  async list() {
    const rows = await this.db
      .selectFrom('pause_reasons')
      .selectAll()
      .orderBy('sort_order')
      .orderBy('name')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      active: r.active === 1,
      sortOrder: r.sort_order,
    }));
  }

  /** The reason's row; 404 when there is none. */
  async get(id: number): Promise<PauseReasonRow> {
    const row = await this.db.selectFrom('pause_reasons').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw ApiError.notFound('No such pause reason');
    return row;
  }

  async create(input: PauseReasonInput, actor: number): Promise<number> {
    const row = await this.db
      .insertInto('pause_reasons')
      .values({ name: input.name, active: input.active ? 1 : 0, sort_order: input.sortOrder })
      .returning('id')
      .executeTakeFirstOrThrow()
      .catch(conflictOnUnique(`A pause reason named ${input.name}`));
    await auditBy(this.db, actor, {
      action: 'pause_reason.create',
      entity: 'pause_reason',
      entityId: row.id,
      after: input,
    });
    return row.id;
  }

  async update(before: PauseReasonRow, input: PauseReasonUpdate, actor: number): Promise<void> {
    await this.db
      .updateTable('pause_reasons')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.active !== undefined ? { active: input.active ? 1 : 0 } : {}),
        ...(input.sortOrder !== undefined ? { sort_order: input.sortOrder } : {}),
      })
      .where('id', '=', before.id)
      .execute()
      .catch(conflictOnUnique(`A pause reason named ${input.name}`));
    await auditBy(this.db, actor, {
      action: 'pause_reason.update',
      entity: 'pause_reason',
      entityId: before.id,
      before,
      after: input,
    });
  }
}
