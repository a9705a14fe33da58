import type { Context } from 'hono';
import type { AuditEntry } from '../audit/audit-log';
import { recordAudit } from '../audit/audit-log';
import type { Db } from '../db/database';
import type { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';

/** Audit entry for an admin change, attributed to the signed-in user. */
export async function audit(db: Db, c: Context<AppEnv>, entry: Omit<AuditEntry, 'actor'>): Promise<void> {
  await recordAudit(db, { actor: { kind: 'user', id: c.get('user')!.id }, ...entry });
}

/** A unique-constraint failure from either database, so a race still answers 409, not 500. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint/i.test(e?.message ?? '')
  );
}

/** A write whose unique value (a name, a number) another writer took first: the error `taken` makes. */
export async function unlessTaken<T>(write: Promise<T>, taken: () => ApiError): Promise<T> {
  try {
    return await write;
  } catch (err) {
    if (isUniqueViolation(err)) throw taken();
    throw err;
  }
}
