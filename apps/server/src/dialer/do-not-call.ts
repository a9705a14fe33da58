import type { Db } from '../db/database';

/** Numbers (E.164) that no outbound path may dial. */
export class DoNotCallList {
  constructor(private readonly db: Db) {}

  async has(number: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('do_not_call')
      .select('id')
      .where('number', '=', number)
      .executeTakeFirst();
    return row !== undefined;
  }

  async list(options: { search?: string; limit: number; offset: number }) {
    let q = this.db.selectFrom('do_not_call');
    if (options.search) q = q.where('number', 'like', `%${options.search.replace(/[%_]/g, '')}%`);
    const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await q
      .select(['id', 'number', 'reason', 'created_at'])
      .orderBy('number')
      .limit(options.limit)
      .offset(options.offset)
      .execute();
    return { total: Number(total.n), entries: rows };
  }

  /** Adds numbers (already E.164); ones already listed are left as they are. Returns how many were new. */
  async add(
    entries: Array<{ number: string; reason: string | null }>,
    by: number | null,
    now: number,
  ): Promise<number> {
    if (!entries.length) return 0;
    return this.db.transaction().execute(async (tx) => {
      let added = 0;
      for (const e of entries) {
        const r = await tx
          .insertInto('do_not_call')
          .values({ number: e.number, reason: e.reason, created_by: by, created_at: now })
          .onConflict((oc) => oc.column('number').doNothing())
          .returning('id')
          .executeTakeFirst();
        if (r) added++;
      }
      return added;
    });
  }

  async remove(id: number): Promise<boolean> {
    const r = await this.db.deleteFrom('do_not_call').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
