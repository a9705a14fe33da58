import type { Db } from '../../db/database';
import type { ExtensionInfo } from '../contracts';

/** What an agent's extension may dial instead of digits: a record the number is looked up from. */
export type DialReference =
  | { kind: 'phone'; customerPhoneId: number }
  | { kind: 'cdr'; cdrId: number }
  | { kind: 'task'; dialTaskId: number };

const REFERENCE = /^ref-(phone|cdr|task)-([1-9]\d{0,15})$/;

/** `ref-phone-<customerPhoneId>`, `ref-cdr-<cdrId>`, `ref-task-<dialTaskId>`; anything else is null. */
export function parseDialReference(dialled: string): DialReference | null {
  const m = REFERENCE.exec(dialled);
  if (!m) return null;
  const id = Number(m[2]);
  if (!Number.isSafeInteger(id)) return null;
  if (m[1] === 'phone') return { kind: 'phone', customerPhoneId: id };
  if (m[1] === 'cdr') return { kind: 'cdr', cdrId: id };
  return { kind: 'task', dialTaskId: id };
}

/**
 * The real number behind a reference, with the same object-level rules as the API: an agent only
 * their own customers' phones, their own calls and the tasks assigned to them; supervisors and
 * admins any. Null when the record is unknown or not the caller's (the browser, which may only
 * see masked digits, never needs the number itself).
 */
export async function resolveDialReference(
  db: Db,
  caller: Pick<ExtensionInfo, 'userId' | 'role'>,
  ref: DialReference,
): Promise<string | null> {
  if (caller.userId === null || caller.role === null) return null;
  const own = caller.role === 'agent';
  const userId = caller.userId;
  if (ref.kind === 'phone') {
    let q = db
      .selectFrom('customer_phones')
      .innerJoin('customers', 'customers.id', 'customer_phones.customer_id')
      .select('customer_phones.number')
      .where('customer_phones.id', '=', ref.customerPhoneId);
    if (own) q = q.where('customers.owner_user_id', '=', userId);
    return (await q.executeTakeFirst())?.number ?? null;
  }
  if (ref.kind === 'cdr') {
    let q = db.selectFrom('calls').select('customer_number').where('id', '=', ref.cdrId);
    if (own) q = q.where('agent_user_id', '=', userId);
    return (await q.executeTakeFirst())?.customer_number ?? null;
  }
  let q = db.selectFrom('dial_tasks').select('number').where('id', '=', ref.dialTaskId);
  if (own) q = q.where('assigned_user_id', '=', userId);
  return (await q.executeTakeFirst())?.number ?? null;
}
