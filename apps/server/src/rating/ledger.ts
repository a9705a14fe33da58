import { type Kysely, sql } from 'kysely';
import type { Database, LedgerKind } from '../db/schema';

/** Who made a ledger entry: an administrator, the subscriber, the system (recovery) or a call. */
export interface LedgerActor {
  kind: 'user' | 'subscriber' | 'system' | 'call';
  id: number | null;
}

export interface LedgerRow {
  subscriberId: number;
  kind: LedgerKind;
  amountMinor: number;
  heldMinor: number;
  balanceAfterMinor: number;
  reservedAfterMinor: number;
  currency: string;
  actor: LedgerActor;
  reason: string | null;
  reservationId?: number | null;
  callId?: number | null;
  at: number;
}

export async function insertLedgerRows(db: Kysely<Database>, rows: LedgerRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('subscriber_ledger')
    .values(
      rows.map((r) => ({
        subscriber_id: r.subscriberId,
        kind: r.kind,
        amount_minor: r.amountMinor,
        held_minor: r.heldMinor,
        balance_after_minor: r.balanceAfterMinor,
        reserved_after_minor: r.reservedAfterMinor,
        currency: r.currency,
        reservation_id: r.reservationId ?? null,
        call_id: r.callId ?? null,
        actor_kind: r.actor.kind,
        actor_id: r.actor.id,
        reason: r.reason,
        created_at: r.at,
      })),
    )
    .execute();
}

export interface BalanceChange {
  subscriberId: number;
  kind: 'top_up' | 'adjustment';
  /** Signed change to the balance, minor units. */
  amountMinor: number;
  actor: LedgerActor;
  reason: string;
  at?: number;
}

/**
 * A top-up or an adjustment: the balance and its ledger entry in one transaction (pass one in `db`
 * to join it). A debit that would take the balance below what calls have reserved is refused
 * (null), atomically: the condition is part of the UPDATE.
 */
export async function changeBalance(
  db: Kysely<Database>,
  change: BalanceChange,
): Promise<{ balanceMinor: number; reservedMinor: number; currency: string } | null> {
  const at = change.at ?? Date.now();
  const run = async (tx: Kysely<Database>) => {
    let q = tx
      .updateTable('subscribers')
      .set((eb) => ({ balance_minor: eb('balance_minor', '+', change.amountMinor), updated_at: at }))
      .where('id', '=', change.subscriberId);
    if (change.amountMinor < 0) {
      q = q.where(sql<number>`balance_minor - reserved_minor + ${change.amountMinor}`, '>=', 0);
    }
    const after = await q.returning(['balance_minor', 'reserved_minor', 'currency']).executeTakeFirst();
    if (!after) return null;
    await insertLedgerRows(tx, [
      {
        subscriberId: change.subscriberId,
        kind: change.kind,
        amountMinor: change.amountMinor,
        heldMinor: 0,
        balanceAfterMinor: after.balance_minor,
        reservedAfterMinor: after.reserved_minor,
        currency: after.currency,
        actor: change.actor,
        reason: change.reason,
        at,
      },
    ]);
    return {
      balanceMinor: after.balance_minor,
      reservedMinor: after.reserved_minor,
      currency: after.currency,
    };
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

/** Sums of the ledger for one subscriber: what balance_minor and reserved_minor must equal. */
export async function ledgerTotals(
  db: Kysely<Database>,
  subscriberId: number,
): Promise<{ balanceMinor: number; reservedMinor: number }> {
  const row = await db
    .selectFrom('subscriber_ledger')
    .select([
      sql<number>`coalesce(sum(amount_minor), 0)`.as('balance'),
      sql<number>`coalesce(sum(held_minor), 0)`.as('held'),
    ])
    .where('subscriber_id', '=', subscriberId)
    .executeTakeFirstOrThrow();
  return { balanceMinor: Number(row.balance), reservedMinor: Number(row.held) };
}
