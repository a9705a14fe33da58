import type { DispositionCode, DispositionCodeUpdate } from '@switchboard/shared';
import type { Selectable, Updateable } from 'kysely';
import type { Db } from '../db/database';
import type { DispositionCodesTable } from '../db/schema';

function toApi(r: Selectable<DispositionCodesTable>): DispositionCode {
  return { id: r.id, name: r.name, queueId: r.queue_id, active: r.active === 1, sortOrder: r.sort_order };
}

/** Disposition codes, the queues' "code required", and the code written on a call's record. */
export class DispositionStore {
  constructor(private readonly db: Db) {}

  async allCodes(): Promise<DispositionCode[]> {
    const rows = await this.db
      .selectFrom('disposition_codes')
      .selectAll()
      .orderBy('sort_order')
      .orderBy('name')
      .execute();
    return rows.map(toApi);
  }

  /** The active codes offered after a call from `queueId`: every queue's and that queue's own. */
  async codesFor(queueId: number): Promise<{ id: number; name: string }[]> {
    return this.db
      .selectFrom('disposition_codes')
      .select(['id', 'name'])
      .where('active', '=', 1)
      .where((eb) => eb.or([eb('queue_id', 'is', null), eb('queue_id', '=', queueId)]))
      .orderBy('sort_order')
      .orderBy('name')
      .execute();
  }

  async code(id: number): Promise<DispositionCode | null> {
    const r = await this.db
      .selectFrom('disposition_codes')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return r ? toApi(r) : null;
  }

  /** A code of that name (any case) offered in the same scope, other than `exceptId`. */
  async sameName(name: string, queueId: number | null, exceptId?: number): Promise<boolean> {
    let q = this.db
      .selectFrom('disposition_codes')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
      .where('queue_id', queueId === null ? 'is' : '=', queueId);
    if (exceptId !== undefined) q = q.where('id', '<>', exceptId);
    return (await q.executeTakeFirst()) !== undefined;
  }

  async insert(
    input: { name: string; queueId: number | null; active: boolean; sortOrder: number },
    now: number,
  ) {
    const r = await this.db
      .insertInto('disposition_codes')
      .values({
        name: input.name,
        queue_id: input.queueId,
        active: input.active ? 1 : 0,
        sort_order: input.sortOrder,
        created_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toApi(r);
  }

  async update(id: number, patch: DispositionCodeUpdate): Promise<void> {
    const cols: Updateable<DispositionCodesTable> = {};
    if (patch.name !== undefined) cols.name = patch.name;
    if (patch.active !== undefined) cols.active = patch.active ? 1 : 0;
    if (patch.sortOrder !== undefined) cols.sort_order = patch.sortOrder;
    if (Object.keys(cols).length === 0) return;
    await this.db.updateTable('disposition_codes').set(cols).where('id', '=', id).execute();
  }

  async queues(): Promise<{ queueId: number; queueName: string; required: boolean }[]> {
    const rows = await this.db
      .selectFrom('queues')
      .select(['id', 'name', 'disposition_required'])
      .orderBy('name')
      .execute();
    return rows.map((q) => ({ queueId: q.id, queueName: q.name, required: q.disposition_required === 1 }));
  }

  async queueExists(queueId: number): Promise<boolean> {
    return (
      (await this.db.selectFrom('queues').select('id').where('id', '=', queueId).executeTakeFirst()) !==
      undefined
    );
  }

  async setRequired(queueId: number, required: boolean): Promise<void> {
    await this.db
      .updateTable('queues')
      .set({ disposition_required: required ? 1 : 0 })
      .where('id', '=', queueId)
      .execute();
  }

  async callDisposition(callId: string): Promise<{ code: string | null; note: string | null } | null> {
    const r = await this.db
      .selectFrom('calls')
      .select(['wrapup_code', 'wrapup_note'])
      .where('call_uuid', '=', callId)
      .executeTakeFirst();
    return r ? { code: r.wrapup_code, note: r.wrapup_note } : null;
  }

  /** Writes the code and note on the call's record; false when the call has no record. */
  async setCallDisposition(callId: string, code: string | null, note: string | null): Promise<boolean> {
    const r = await this.db
      .updateTable('calls')
      .set({ wrapup_code: code, wrapup_note: note })
      .where('call_uuid', '=', callId)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}
