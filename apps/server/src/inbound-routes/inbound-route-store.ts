import type { inboundRouteInputSchema } from '@switchboard/shared';
import type { Selectable } from 'kysely';
import type { z } from 'zod';
import { auditBy, badField, conflictOnUnique } from '../admin/admin-helpers';
import type { Db } from '../db/database';
import type { InboundRoutesTable } from '../db/schema';
import { ApiError } from '../http/api-error';

type InboundRouteInput = z.infer<typeof inboundRouteInputSchema>;
type InboundRouteRow = Selectable<InboundRoutesTable>;

/**
 * Which queue, extension, call flow or callback service each called number (DID) goes to, as the
 * admin API reads and writes it; the switch's call router reads the same table on every call.
 */
export class InboundRouteStore {
  constructor(private readonly db: Db) {}

  async list() {
    const rows = await this.db.selectFrom('inbound_routes').selectAll().orderBy('number').execute();
    return rows.map((r) => ({
      id: r.id,
      number: r.number,
      targetType: r.target_type,
      targetId: r.target_id,
    }));
  }

  /** The route's row; 404 when there is none. */
  async get(id: number): Promise<InboundRouteRow> {
    const row = await this.db
      .selectFrom('inbound_routes')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw ApiError.notFound('No such inbound route');
    return row;
  }

  /** A route's target must exist when saved, and a call flow must have a published version. */
  async assertTarget(type: InboundRouteInput['targetType'], target: string): Promise<void> {
    const bad = (message: string) => badField('targetId', message);
    if (type === 'queue') {
      const id = Number(target);
      if (!Number.isInteger(id) || id < 1) throw bad('Choose a queue');
      const q = await this.db.selectFrom('queues').select('id').where('id', '=', id).executeTakeFirst();
      if (!q) throw bad('No such queue');
    } else if (type === 'extension') {
      const e = await this.db
        .selectFrom('extensions')
        .select('id')
        .where('number', '=', target)
        .executeTakeFirst();
      if (!e) throw bad('No such extension');
    } else if (type === 'flow') {
      const id = Number(target);
      if (!Number.isInteger(id) || id < 1) throw bad('Choose a call flow');
      const f = await this.db
        .selectFrom('call_flows')
        .select('published_version')
        .where('id', '=', id)
        .executeTakeFirst();
      if (!f) throw bad('No such call flow');
      if (f.published_version === null) throw bad('Publish the call flow before routing a number to it');
    } else {
      const id = Number(target);
      if (!Number.isInteger(id) || id < 1) throw bad('Choose a callback service');
      const s = await this.db
        .selectFrom('callback_services')
        .select('id')
        .where('id', '=', id)
        .executeTakeFirst();
      if (!s) throw bad('No such callback service');
    }
  }

  async create(input: InboundRouteInput, actor: number): Promise<number> {
    const row = await this.db
      .insertInto('inbound_routes')
      .values({
        number: input.number,
        target_type: input.targetType,
        target_id: input.targetId,
        created_at: Date.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
      .catch(conflictOnUnique(`A route for ${input.number}`));
    await auditBy(this.db, actor, {
      action: 'inbound_route.create',
      entity: 'inbound_route',
      entityId: row.id,
      after: input,
    });
    return row.id;
  }

  async replace(before: InboundRouteRow, input: InboundRouteInput, actor: number): Promise<void> {
    await this.db
      .updateTable('inbound_routes')
      .set({ number: input.number, target_type: input.targetType, target_id: input.targetId })
      .where('id', '=', before.id)
      .execute()
      .catch(conflictOnUnique(`A route for ${input.number}`));
    await auditBy(this.db, actor, {
      action: 'inbound_route.update',
      entity: 'inbound_route',
      entityId: before.id,
      before,
      after: input,
    });
  }

  async remove(before: InboundRouteRow, actor: number): Promise<void> {
    await this.db.deleteFrom('inbound_routes').where('id', '=', before.id).execute();
    await auditBy(this.db, actor, {
      action: 'inbound_route.delete',
      entity: 'inbound_route',
      entityId: before.id,
      before,
    });
  }
}
