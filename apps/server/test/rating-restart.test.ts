import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ledgerTotals } from '../src/rating/ledger';
import type { Reservation } from '../src/rating/rating-service';
import { TestSystem } from './test-system';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-rating-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The start-up wiring (system.ts): a process stops with a reservation open for an answered call; the
 * next start closes the call (the switch's recovery) and settles the reservation from its records.
 */
it('settles at start-up a reservation the last process left open, from the call records, once', async () => {
  const env = { DATABASE_URL: `sqlite:${path.join(dir, 'switchboard.db')}` };
  const first = await TestSystem.start('sqlite', env);
  let subscriberId: number;
  let reservation: Reservation;
  let callId: number;
  try {
    const sub = await first.db
      .selectFrom('subscribers')
      .select('id')
      .where('phone_number', '=', '18005550100')
      .executeTakeFirstOrThrow();
    subscriberId = sub.id;
    const answeredAt = Date.now() - 45_000;
    const call = await first.db
      .insertInto('calls')
      .values({
        call_uuid: randomUUID(),
        type: 'manual',
        started_at: answeredAt - 5000,
        answered_at: answeredAt,
        called_number: '+442079460958',
        status: 'open',
        node_id: first.deps.config.nodeId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    callId = call.id;
    reservation = (await first.deps.rating.reserve(subscriberId, '+442079460958', { callId })) as Reservation;
    expect(reservation.ok).toBe(true);
  } finally {
    await first.stop();
  }

  const second = await TestSystem.start('sqlite', env);
  try {
    const r = await second.db
      .selectFrom('rate_reservations')
      .selectAll()
      .where('id', '=', reservation.reservationId)
      .executeTakeFirstOrThrow();
    expect(r.status).toBe('settled');
    expect(r.settled_by).toBe('recovery');
    // 45 s and a little at 0.02/min, 30 s then 6 s: 48 s billed = 0.016 → 0.02
    expect(r.billable_s).toBeGreaterThanOrEqual(45);
    expect(Number(r.cost_minor)).toBe(2);
    const row = await second.db
      .selectFrom('subscribers')
      .select(['balance_minor', 'reserved_minor', 'open_reservations'])
      .where('id', '=', subscriberId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ balance_minor: 1998, reserved_minor: 0, open_reservations: 0 });
    expect(await ledgerTotals(second.db, subscriberId)).toEqual({ balanceMinor: 1998, reservedMinor: 0 });
    const call = await second.db
      .selectFrom('calls')
      .select(['status', 'subscriber_id'])
      .where('id', '=', callId)
      .executeTakeFirstOrThrow();
    expect(call).toEqual({ status: 'closed', subscriber_id: subscriberId });
    // The portal lists the call with its cost.
    const c = second.client();
    await c.post('/api/portal/auth/login', { phoneNumber: '18005550100', password: 'demo' });
    const calls = await c.get('/api/portal/calls');
    expect(calls.body.calls[0]).toMatchObject({ id: callId, cost: '0.02', currency: 'USD' });
  } finally {
    await second.stop();
  }
  // A third start finds nothing to settle and charges nothing twice.
  const third = await TestSystem.start('sqlite', env);
  try {
    const row = await third.db
      .selectFrom('subscribers')
      .select('balance_minor')
      .where('id', '=', subscriberId)
      .executeTakeFirstOrThrow();
    expect(row.balance_minor).toBe(1998);
  } finally {
    await third.stop();
  }
});
