import type { Context } from 'hono';
import type { AuditEntry } from '../audit/audit-log';
import { recordAudit } from '../audit/audit-log';
import type { Db } from '../db/database';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';

/** The signed-in user making an admin change (the routes behind requireRole always have one). */
export function actorId(c: Context<AppEnv>): number {
  return c.get('user')!.id;
}

/** Audit entry for an admin change, attributed to the signed-in user. */
export async function audit(db: Db, c: Context<AppEnv>, entry: Omit<AuditEntry, 'actor'>): Promise<void> {
  await auditBy(db, actorId(c), entry);
}

/** Audit entry for an admin change by user `userId`: what stores write beside their change. */
export async function auditBy(db: Db, userId: number, entry: Omit<AuditEntry, 'actor'>): Promise<void> {
  await recordAudit(db, { actor: { kind: 'user', id: userId }, ...entry });
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

/** For a write's `.catch`: a unique-constraint failure answers 409 "`what` already exists". */
export function conflictOnUnique(what: string) {
  return (err: unknown): never => {
    if (isUniqueViolation(err)) throw ApiError.conflict(`${what} already exists`);
    throw err;
  };
}

/** A 400 naming the one field that is wrong, so the admin form shows the message beside it. */
export function badField(field: string, message: string): ApiError {
  return ApiError.badRequest(`${field}: ${message}`, { fields: [{ field, message }] });
}
