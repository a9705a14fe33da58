import { type Customer, type CustomerCall, type CustomerSort, digitsOnly } from '@switchboard/shared';
import { type Expression, type SqlBool, sql } from 'kysely';
import { recordAudit } from '../audit/audit-log';
import type { Db } from '../db/database';
import { inIdOrder, type PageRequest, pageOfIds } from '../db/page-of-ids';
import { ApiError } from '../http/api-error';
import { fieldError } from '../http/validate';
import type { Viewer } from '../http/viewer';
import { CallRecords } from '../switch/call-records';
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
  return inIdOrder(ids, rows, (r) => ({
    id: r.id,
    name: r.name,
    company: r.company,
    email: r.email,
    notes: r.notes,
    timeZone: r.time_zone,
    owner: { id: r.owner_user_id, displayName: r.owner_name },
    phones: phones
      .filter((p) => p.customer_id === r.id)
      .map((p) => ({ id: p.id, number: viewer.mask(p.number), label: p.label })),
    lastContactAt: r.last_contact === null ? null : Number(r.last_contact),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    numbersMasked: viewer.masked,
  }));
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

/** The customer row if the viewer may see it; otherwise 404, so nobody learns what others hold. */
export async function findVisibleCustomer(db: Db, viewer: Scope, id: number) {
  const row = await visibleCustomers(db, viewer)
    .selectAll('customers')
    .where('customers.id', '=', id)
    .executeTakeFirst();
  if (!row) throw ApiError.notFound('No such customer');
  return row;
}

/** A page of the customers the viewer may see that match `filter`, by name or by last contact. */
export async function pageOfCustomers(
  db: Db,
  viewer: Viewer,
  filter: Expression<SqlBool> | null,
  query: { sort: CustomerSort; order?: 'asc' | 'desc' } & PageRequest,
): Promise<{ customers: Customer[]; total: number }> {
  let base = visibleCustomers(db, viewer);
  if (filter) base = base.where(filter);
  const order = query.order ?? (query.sort === 'name' ? 'asc' : 'desc');
  const key = query.sort === 'name' ? sql`lower(customers.name)` : sql`coalesce(${lastContactSql}, 0)`;
  const ordered = base.select('customers.id').orderBy(key, order).orderBy('customers.id', order);
  const { ids, total } = await pageOfIds(base, ordered, query);
  return { customers: await presentCustomers(db, viewer, ids), total };
}

/** A call by its CDR id or the switch's call id, with what a customer look-up needs of it. */
export async function findCall(db: Db, ref: number | string) {
  const base = db
    .selectFrom('calls')
    .leftJoin('queues', 'queues.id', 'calls.queue_id')
    .select([
      'calls.id',
      'calls.call_uuid',
      'calls.customer_id',
      'calls.customer_number',
      'calls.agent_user_id',
      'calls.queue_id',
      'calls.started_at',
      'queues.name as queue_name',
    ]);
  return (
    typeof ref === 'number' ? base.where('calls.id', '=', ref) : base.where('calls.call_uuid', '=', ref)
  ).executeTakeFirst();
}

export type CustomerCallRow = NonNullable<Awaited<ReturnType<typeof findCall>>>;

/** Up to ten customers the viewer may see with a phone of exactly these digits, or the one linked to the call. */
export async function customerIdsByNumber(
  db: Db,
  viewer: Scope,
  digits: string,
  linkedId: number | null,
): Promise<number[]> {
  const rows = await visibleCustomers(db, viewer)
    .select('customers.id')
    .where((eb) => {
      const byNumber = eb.exists(
        eb
          .selectFrom('customer_phones')
          .select('customer_phones.id')
          .whereRef('customer_phones.customer_id', '=', 'customers.id')
          .where('customer_phones.digits', '=', digits),
      );
      return linkedId === null ? byNumber : eb.or([eb('customers.id', '=', linkedId), byNumber]);
    })
    .orderBy('customers.id')
    .limit(10)
    .execute();
  return rows.map((r) => r.id);
}

/** A customer's own fields as the API takes them; `undefined` leaves a field as it is. */
export interface CustomerFields {
  name?: string;
  company?: string | null;
  email?: string | null;
  notes?: string | null;
  timeZone?: string | null;
}

/** A phone in a replacement list: a new number (E.164), or one of the customer's phones kept as it is. */
export type PhoneEntry = string | { id: number };

/**
 * Writes a new customer with its phones. The calls it was saved from, and the owner's open calls
 * with one of its numbers, become its calls (CDR and history show the name).
 */
export async function insertCustomer(
  db: Db,
  ownerId: number,
  customer: CustomerFields & { name: string; phones: string[] },
  fromCalls: number[],
): Promise<number> {
  const { phones } = customer;
  const now = Date.now();
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('customers')
      .values({
        owner_user_id: ownerId,
        name: customer.name,
        company: customer.company ?? null,
        email: customer.email ?? null,
        notes: customer.notes ?? null,
        time_zone: customer.timeZone ?? null,
        last_contact_at: null,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('customer_phones')
      .values(phones.map((n) => ({ customer_id: row.id, number: n, digits: digitsOnly(n), label: null })))
      .execute();
    await CallRecords.linkCustomer(tx, row.id, fromCalls);
    await CallRecords.linkOpenCalls(tx, row.id, ownerId, phones.map(digitsOnly));
    await recordAudit(
      tx,
      {
        actor: { kind: 'user', id: ownerId },
        action: 'create',
        entity: 'customer',
        entityId: row.id,
        after: { name: customer.name, phones },
      },
      now,
    );
    return row.id;
  });
}

/**
 * Which existing phones a replacement list removes and which numbers it adds; 400 for a kept phone
 * that is not the customer's. A number typed again keeps its row (and the callback plans that point at it).
 */
function phoneChanges(existing: { id: number; number: string }[], phones: PhoneEntry[]) {
  const kept = new Set<number>();
  const added: string[] = [];
  phones.forEach((p, i) => {
    if (typeof p !== 'string') {
      if (!existing.some((e) => e.id === p.id))
        throw fieldError(`phones.${i}`, "This phone is not one of the customer's");
      kept.add(p.id);
      return;
    }
    const same = existing.find((e) => e.number === p && !kept.has(e.id));
    if (same) kept.add(same.id);
    else added.push(p);
  });
  return { removed: existing.filter((e) => !kept.has(e.id)).map((e) => e.id), added };
}

/** Replaces the customer's phones with `phones`; returns the numbers it had before. */
async function replacePhones(tx: Db, customerId: number, phones: PhoneEntry[] | null): Promise<string[]> {
  const existing = await tx
    .selectFrom('customer_phones')
    .select(['id', 'number'])
    .where('customer_id', '=', customerId)
    .execute();
  if (!phones) return existing.map((e) => e.number);
  const { removed, added } = phoneChanges(existing, phones);
  if (removed.length) {
    await tx.updateTable('callback_plans').set({ phone_id: null }).where('phone_id', 'in', removed).execute();
    await tx.deleteFrom('customer_phones').where('id', 'in', removed).execute();
  }
  if (added.length) {
    await tx
      .insertInto('customer_phones')
      .values(added.map((n) => ({ customer_id: customerId, number: n, digits: digitsOnly(n), label: null })))
      .execute();
  }
  return existing.map((e) => e.number);
}

type CustomerRow = Awaited<ReturnType<typeof findVisibleCustomer>>;

/** Changes the given fields (and the phones, when a list is given), with the audit entry of the change. */
export async function updateCustomer(
  db: Db,
  before: CustomerRow,
  changes: CustomerFields,
  phones: PhoneEntry[] | null,
  actorId: number,
): Promise<void> {
  const now = Date.now();
  await db.transaction().execute(async (tx) => {
    const numbersBefore = await replacePhones(tx, before.id, phones);
    const update = {
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.company !== undefined ? { company: changes.company } : {}),
      ...(changes.email !== undefined ? { email: changes.email } : {}),
      ...(changes.notes !== undefined ? { notes: changes.notes } : {}),
      ...(changes.timeZone !== undefined ? { time_zone: changes.timeZone } : {}),
      updated_at: now,
    };
    await tx.updateTable('customers').set(update).where('id', '=', before.id).execute();
    await recordAudit(
      tx,
      {
        actor: { kind: 'user', id: actorId },
        action: 'update',
        entity: 'customer',
        entityId: before.id,
        before: {
          name: before.name,
          company: before.company,
          email: before.email,
          notes: before.notes,
          phones: numbersBefore,
        },
        after: {
          ...update,
          ...(phones ? { phones: phones.map((p) => (typeof p === 'string' ? p : { id: p.id })) } : {}),
        },
      },
      now,
    );
  });
}

/** Removes the customer, its phones and callback plans; its calls and dial tasks stay, unlinked. */
export async function deleteCustomer(db: Db, before: CustomerRow, actorId: number): Promise<void> {
  await db.transaction().execute(async (tx) => {
    // The same as the foreign keys' ON DELETE rules, spelled out for SQLite connections without them.
    await tx.deleteFrom('callback_plans').where('customer_id', '=', before.id).execute();
    await tx
      .updateTable('dial_tasks')
      .set({ customer_id: null })
      .where('customer_id', '=', before.id)
      .execute();
    await CallRecords.unlinkCustomer(tx, before.id);
    await tx.deleteFrom('customer_phones').where('customer_id', '=', before.id).execute();
    await tx.deleteFrom('customers').where('id', '=', before.id).execute();
    await recordAudit(tx, {
      actor: { kind: 'user', id: actorId },
      action: 'delete',
      entity: 'customer',
      entityId: before.id,
      before: { name: before.name, ownerUserId: before.owner_user_id },
    });
  });
}
