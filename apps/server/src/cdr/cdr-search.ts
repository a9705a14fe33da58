import type { CdrFilters, CdrSortColumn, Role } from '@switchboard/shared';
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { type Db, isPostgres } from '../db/database';
import type { Database } from '../db/schema';

/** Who is asking: agents see only their own calls, supervisors and admins all. */
export interface CdrViewer {
  userId: number;
  role: Role;
}

export interface CdrRow {
  id: number;
  call_uuid: string;
  type: 'inbound' | 'manual' | 'auto';
  started_at: number;
  answered_at: number | null;
  ended_at: number | null;
  duration_s: number;
  ring_time_s: number;
  disposition: 'answered' | 'unanswered' | 'busy' | 'failed' | null;
  wrapup_code: string | null;
  wrapup_note: string | null;
  customer_number: string | null;
  customer_id: number | null;
  customer_name: string | null;
  queue_id: number | null;
  queue_name: string | null;
  agent_user_id: number | null;
  agent_name: string | null;
  hangup_cause: string | null;
  service: string | null;
  recording_id: number | null;
  /** Sum of the call's rated legs (prepaid calls); null when no leg was rated. */
  cost_micros: number | null;
  cost_currency: string | null;
}

export interface CdrTotalsRow {
  count: number;
  answered: number;
  notAnswered: number;
  totalDurationS: number;
}

type CallsEb = ExpressionBuilder<Database, 'calls'>;

/** The allow-list: a sort column name maps to a fixed SQL expression, nothing from the request reaches SQL. */
const sortExpressions: Record<CdrSortColumn, string> = {
  startedAt: 'calls.started_at',
  duration: 'calls.duration_s',
  ringTime: 'calls.ring_time_s',
  type: 'calls.type',
  disposition: "coalesce(calls.disposition, '')",
};

/** `%` and `_` in a name the user typed are literal characters, not wildcards. */
export function likeContains(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/**
 * Every filter of the Statistics → CDR search as SQL conditions on `calls`. The agent restriction is
 * part of the same list, so no caller can forget it.
 */
/** Filters with the customer-name match resolved to customer IDs (see resolveCustomerFilter). */
export type ResolvedCdrFilters = CdrFilters & { customerIds?: readonly number[] };

const MAX_RESOLVED_CUSTOMERS = 500;

/**
 * A name fragment matches few customers; handing the planner their IDs (rather than a subquery)
 * lets both databases go through calls(customer_id, started_at) instead of walking the whole time
 * index hoping to meet them. A very broad fragment keeps the subquery.
 */
export async function resolveCustomerFilter(db: Db, f: CdrFilters): Promise<ResolvedCdrFilters> {
  if (!f.customer) return f;
  const rows = await db
    .selectFrom('customers')
    .select('customers.id')
    .where(sql<SqlBool>`lower(customers.name) like ${likeContains(f.customer)} escape '\\'`)
    .limit(MAX_RESOLVED_CUSTOMERS + 1)
    .execute();
  return rows.length > MAX_RESOLVED_CUSTOMERS ? f : { ...f, customerIds: rows.map((r) => r.id) };
}

export function cdrConditions(
  db: Db,
  eb: CallsEb,
  f: ResolvedCdrFilters,
  viewer: CdrViewer,
): Expression<SqlBool>[] {
  const c: Expression<SqlBool>[] = [];
  if (viewer.role === 'agent') c.push(eb('calls.agent_user_id', '=', viewer.userId));
  if (f.agentId !== undefined) c.push(eb('calls.agent_user_id', '=', f.agentId));
  if (f.from !== undefined) c.push(eb('calls.started_at', '>=', f.from));
  if (f.to !== undefined) c.push(eb('calls.started_at', '<=', f.to));
  if (f.type) c.push(eb('calls.type', '=', f.type));
  if (f.disposition) c.push(eb('calls.disposition', '=', f.disposition));
  if (f.queueId !== undefined) c.push(eb('calls.queue_id', '=', f.queueId));
  if (f.wrapupCode) c.push(sql<SqlBool>`lower(calls.wrapup_code) = ${f.wrapupCode.toLowerCase()}`);
  if (f.minDuration !== undefined && f.minDuration > 0) c.push(eb('calls.duration_s', '>=', f.minDuration));
  if (f.customerIds) {
    c.push(f.customerIds.length ? eb('calls.customer_id', 'in', f.customerIds) : sql<SqlBool>`1 = 0`);
  } else if (f.customer) {
    const pattern = likeContains(f.customer);
    c.push(
      eb(
        'calls.customer_id',
        'in',
        eb
          .selectFrom('customers')
          .select('customers.id')
          .where(sql<SqlBool>`lower(customers.name) like ${pattern} escape '\\'`),
      ),
    );
  }
  if (f.number) c.push(numberCondition(db, f.number));
  return c;
}

/**
 * Partial-number search. The fragment is digits only (validated), at least 3 long, so it is served by
 * a trigram index: pg_trgm's GIN index on PostgreSQL, an FTS5 trigram table on SQLite (0003).
 */
export function numberCondition(db: Db, digits: string): Expression<SqlBool> {
  const pattern = `%${digits}%`;
  if (isPostgres(db)) return sql<SqlBool>`calls.customer_digits like ${pattern}`;
  return sql<SqlBool>`calls.id in (select rowid from calls_digits_fts where calls_digits_fts.customer_digits like ${pattern})`;
}

function baseRows(db: Db) {
  return db
    .selectFrom('calls')
    .leftJoin('customers', 'customers.id', 'calls.customer_id')
    .leftJoin('queues', 'queues.id', 'calls.queue_id')
    .leftJoin('users', 'users.id', 'calls.agent_user_id')
    .select([
      'calls.id',
      'calls.call_uuid',
      'calls.type',
      'calls.started_at',
      'calls.answered_at',
      'calls.ended_at',
      'calls.duration_s',
      'calls.ring_time_s',
      'calls.disposition',
      'calls.wrapup_code',
      'calls.wrapup_note',
      'calls.customer_number',
      'calls.customer_id',
      'customers.name as customer_name',
      'calls.queue_id',
      'queues.name as queue_name',
      'calls.agent_user_id',
      'users.display_name as agent_name',
      'calls.hangup_cause',
      'calls.service',
      'calls.recording_id',
      (eb) =>
        eb
          .selectFrom('call_legs')
          .select(sql<number | null>`sum(call_legs.cost_micros)`.as('c'))
          .whereRef('call_legs.call_id', '=', 'calls.id')
          .as('cost_micros'),
      (eb) =>
        eb
          .selectFrom('call_legs')
          .select(sql<string | null>`max(call_legs.cost_currency)`.as('c'))
          .whereRef('call_legs.call_id', '=', 'calls.id')
          .as('cost_currency'),
    ]);
}

export interface CdrPageRequest {
  filters: ResolvedCdrFilters;
  sort: CdrSortColumn;
  order: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

/** One page of matching calls. */
export async function searchCdrPage(db: Db, req: CdrPageRequest, viewer: CdrViewer): Promise<CdrRow[]> {
  const expr = sql.raw(sortExpressions[req.sort]);
  const dir = sql.raw(req.order);
  return (await baseRows(db)
    .where((eb) => eb.and(cdrConditions(db, eb, req.filters, viewer)))
    .orderBy(sql`${expr} ${dir}`)
    .orderBy(sql`calls.id ${dir}`)
    .limit(req.pageSize)
    .offset((req.page - 1) * req.pageSize)
    .execute()) as CdrRow[];
}

/** Count, answered count and total duration of every matching call. */
export async function cdrTotals(
  db: Db,
  filters: ResolvedCdrFilters,
  viewer: CdrViewer,
): Promise<CdrTotalsRow> {
  const row = await db
    .selectFrom('calls')
    .select([
      sql<number>`count(*)`.as('count'),
      sql<number>`coalesce(sum(case when calls.disposition = 'answered' then 1 else 0 end), 0)`.as(
        'answered',
      ),
      // A call in progress has no disposition yet (even one answered and passed on): in neither.
      sql<number>`coalesce(sum(case when calls.disposition <> 'answered' then 1 else 0 end), 0)`.as(
        'not_answered',
      ),
      sql<number>`coalesce(sum(calls.duration_s), 0)`.as('total'),
    ])
    .where((eb) => eb.and(cdrConditions(db, eb, filters, viewer)))
    .executeTakeFirstOrThrow();
  return {
    count: Number(row.count),
    answered: Number(row.answered),
    notAnswered: Number(row.not_answered),
    totalDurationS: Number(row.total),
  };
}

/** The matching calls counted per disposition code, most used first (calls without a code left out). */
export async function cdrWrapupCodeCounts(
  db: Db,
  filters: ResolvedCdrFilters,
  viewer: CdrViewer,
): Promise<Array<{ code: string; count: number }>> {
  const rows = await db
    .selectFrom('calls')
    .select(['calls.wrapup_code as code', sql<number>`count(*)`.as('n')])
    .where((eb) =>
      eb.and([...cdrConditions(db, eb, filters, viewer), eb('calls.wrapup_code', 'is not', null)]),
    )
    .groupBy('calls.wrapup_code')
    .orderBy(sql`count(*)`, 'desc')
    .orderBy('calls.wrapup_code')
    .execute();
  return rows.map((r) => ({ code: r.code!, count: Number(r.n) }));
}

/** The Statistics → CDR search as the API answers it: a page, the totals and the codes. */
export async function searchCdr(db: Db, request: CdrPageRequest, viewer: CdrViewer) {
  const req = { ...request, filters: await resolveCustomerFilter(db, request.filters) };
  const [rows, totals, wrapupCodes] = await Promise.all([
    searchCdrPage(db, req, viewer),
    cdrTotals(db, req.filters, viewer),
    cdrWrapupCodeCounts(db, req.filters, viewer),
  ]);
  return { rows, totals, wrapupCodes };
}

/** The agent's own last calls, newest first (the CDR page's "Recent CDR"). */
export async function recentCdr(db: Db, userId: number, limit = 20): Promise<CdrRow[]> {
  return (await baseRows(db)
    .where('calls.agent_user_id', '=', userId)
    .orderBy('calls.started_at', 'desc')
    .orderBy('calls.id', 'desc')
    .limit(limit)
    .execute()) as CdrRow[];
}

/**
 * Every match in sort order, in batches, by keyset (sort value, id) so a big export never uses deep
 * offsets and never holds the whole result in memory.
 */
export async function* iterateCdr(
  db: Db,
  req: Omit<CdrPageRequest, 'page' | 'pageSize'>,
  viewer: CdrViewer,
  batchSize = 2000,
): AsyncGenerator<CdrRow[]> {
  const filters = await resolveCustomerFilter(db, req.filters);
  const exprText = sortExpressions[req.sort];
  const expr = sql.raw(exprText);
  const dir = sql.raw(req.order);
  const cmp = sql.raw(req.order === 'desc' ? '<' : '>');
  let after: { value: unknown; id: number } | null = null;
  for (;;) {
    const cursor: { value: unknown; id: number } | null = after;
    const rows = (await baseRows(db)
      .select(sql<unknown>`${expr}`.as('sort_value'))
      .where((eb) => {
        const c = cdrConditions(db, eb, filters, viewer);
        if (cursor) c.push(sql<SqlBool>`(${expr}, calls.id) ${cmp} (${cursor.value}, ${cursor.id})`);
        return eb.and(c);
      })
      .orderBy(sql`${expr} ${dir}`)
      .orderBy(sql`calls.id ${dir}`)
      .limit(batchSize)
      .execute()) as (CdrRow & { sort_value: unknown })[];
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < batchSize) return;
    const last = rows[rows.length - 1]!;
    after = { value: last.sort_value, id: last.id };
  }
}
