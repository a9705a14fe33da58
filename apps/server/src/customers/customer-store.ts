import type { Customer, CustomerCall } from '@switchboard/shared';
import { type Expression, type SqlBool, sql } from 'kysely';
import type { Db } from '../db/database';
import type { Viewer } from '../http/viewer';
import { containsPattern, searchTerms } from './search';

/** The last time the customer was on a call (or the stored last contact when no call is linked). */
export const lastContactSql = sql<
  number | null
>`coalesce((select max(calls.started_at) from calls where calls.customer_id = customers.id), customers.last_contact_at)`;

type Scope = { seesAll: boolean; user: { id: number } };

/** Customers the viewer may see: an agent their own, a supervisor everyone's. */
export function visibleCustomers(db: Db, viewer: Scope) {
  let q = db.selectFrom('customers');
  if (!viewer.seesAll) q = q.where('customers.owner_user_id', '=', viewer.user.id);
  return q;
}

/**
 * A search box query. `wholeNumberDigits` set (numbers are masked for the viewer): a number matches
 * only as a whole — those digits exactly, or nothing when the query is no whole number (null) — so
 * fragments cannot be used to read a masked number digit by digit.
 */
export function matchesSearch(q: string, wholeNumberDigits?: string | null): Expression<SqlBool> {
  const { name, digits: fragment } = searchTerms(q);
  const digits = wholeNumberDigits === undefined ? fragment : fragment && wholeNumberDigits;
  const byName = sql<SqlBool>`lower(customers.name) like ${containsPattern(name)} escape '\\'`;
  const byCompany = sql<SqlBool>`lower(coalesce(customers.company, '')) like ${containsPattern(name)} escape '\\'`;
  if (!digits) return sql<SqlBool>`(${byName} or ${byCompany})`;
  const byNumber =
    wholeNumberDigits === undefined
      ? sql<SqlBool>`exists (select 1 from customer_phones p where p.customer_id = customers.id and p.digits like ${containsPattern(digits)} escape '\\')`
      : sql<SqlBool>`exists (select 1 from customer_phones p where p.customer_id = customers.id and p.digits = ${digits})`;
  return sql<SqlBool>`(${byName} or ${byCompany} or ${byNumber})`;
}

/** The customers with these ids as the API presents them to `viewer`, in the given order. */
export async function presentCustomers(db: Db, viewer: Viewer, ids: number[]): Promise<Customer[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('customers')
    .innerJoin('users', 'users.id', 'customers.owner_user_id')
    .select([
      'customers.id',
      'customers.name',
      'customers.company',
      'customers.email',
      'customers.notes',
      'customers.time_zone',
      'customers.owner_user_id',
      'users.display_name as owner_name',
      'customers.created_at',
      'customers.updated_at',
      lastContactSql.as('last_contact'),
    ])
    .where('customers.id', 'in', ids)
    .execute();
  const phones = await db
    .selectFrom('customer_phones')
    .select(['id', 'customer_id', 'number', 'label'])
    .where('customer_id', 'in', ids)
    .orderBy('id')
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    return [
      {
        id: r.id,
        name: r.name,
        company: r.company,
        email: r.email,
        notes: r.notes,
        timeZone: r.time_zone,
        owner: { id: r.owner_user_id, displayName: r.owner_name },
        phones: phones
          .filter((p) => p.customer_id === id)
          .map((p) => ({ id: p.id, number: viewer.mask(p.number), label: p.label })),
        lastContactAt: r.last_contact === null ? null : Number(r.last_contact),
        createdAt: r.created_at,
        updatedAt: r.updated_at,
        numbersMasked: viewer.masked,
      },
    ];
  });
}

/**
 * Recent calls with this customer: linked by id, or by one of its numbers. They follow the CDR's
 * visibility: an agent sees only calls they took, or saving someone's number as their own
 * customer would show them other agents' calls with it.
 */
export async function recentCalls(
  db: Db,
  viewer: Viewer,
  customerId: number,
  limit = 20,
): Promise<CustomerCall[]> {
  const digits = (
    await db.selectFrom('customer_phones').select('digits').where('customer_id', '=', customerId).execute()
  ).map((p) => p.digits);
  const rows = await db
    .selectFrom('calls')
    .leftJoin('users', 'users.id', 'calls.agent_user_id')
    .leftJoin('queues', 'queues.id', 'calls.queue_id')
    .select([
      'calls.id',
      'calls.type',
      'calls.started_at',
      'calls.duration_s',
      'calls.disposition',
      'calls.wrapup_code',
      'calls.wrapup_note',
      'calls.customer_number',
      'users.display_name as agent_name',
      'queues.name as queue_name',
    ])
    .where((eb) =>
      digits.length
        ? eb.or([eb('calls.customer_id', '=', customerId), eb('calls.customer_digits', 'in', digits)])
        : eb('calls.customer_id', '=', customerId),
    )
    .$if(!viewer.seesAll, (q) => q.where('calls.agent_user_id', '=', viewer.user.id))
    .orderBy('calls.started_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    startedAt: r.started_at,
    durationS: r.duration_s,
    disposition: r.disposition,
    wrapupCode: r.wrapup_code,
    wrapupNote: r.wrapup_note,
    number: viewer.maskNullable(r.customer_number),
    agentName: r.agent_name,
    queueName: r.queue_name,
  }));
}
