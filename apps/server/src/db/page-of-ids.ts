import type { SelectQueryBuilder } from 'kysely';
import type { Database } from './schema';

/** A list's page as its query string asks for it: pages count from 1. */
export interface PageRequest {
  page: number;
  limit: number;
}

/** A query with its filters and nothing selected yet. */
type Filtered<TB extends keyof Database> = SelectQueryBuilder<Database, TB, Record<never, never>>;

/**
 * One page of a list: how many rows `filtered` holds, and the ids of the page's rows as `ordered`
 * (the same filters, selecting the id in the list's order) gives them. The lists then load those
 * rows by id with their joins, so counting and paging never pay for the joins.
 */
export async function pageOfIds<TB extends keyof Database>(
  filtered: Filtered<TB>,
  ordered: SelectQueryBuilder<Database, TB, { id: number }>,
  { page, limit }: PageRequest,
): Promise<{ ids: number[]; total: number }> {
  const total = await filtered.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await ordered
    .limit(limit)
    .offset((page - 1) * limit)
    .execute();
  return { ids: rows.map((r) => r.id), total: Number(total.n) };
}

/** Rows loaded by id, shaped by `present`, in the order of `ids` (a page's order); an id with no row is left out. */
export function inIdOrder<R extends { id: number }, T>(
  ids: number[],
  rows: R[],
  present: (row: R) => T,
): T[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [present(row)] : [];
  });
}
