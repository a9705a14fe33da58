import { freeUdpRange } from '@switchboard/test-support';
import { expect, it } from 'vitest';
import type { Reservation } from '../src/rating/rating-service';
import type { BridgeEnd } from '../src/switch/scripts/script-call';
import { deskPhone } from './call-control-harness';
import { SoftPhone } from './call-peers';
import { deferrer } from './defer';
import { expectNothingLeft, trunksTo } from './script-peers';
import { loggedInAs, TestSystem } from './test-system';

it('a prepaid call is cut when its reserved time runs out: warning, the other party released, the credit sound, the cost settled', {
  timeout: 30_000,
}, async ({ onTestFinished }) => {
  const defer = deferrer(onTestFinished);
  const rtp = await freeUdpRange(50);
  const sys = await TestSystem.start(
    'sqlite',
    { TRUNK_URI: 'sip:127.0.0.1:9', RTP_PORT_MIN: String(rtp), RTP_PORT_MAX: String(rtp + 29) },
    { trunks: { optionsIntervalMs: 0 }, calls: { ringTimeoutMs: 4000 } },
  );
  defer(() => sys.stop());
  const admin = await loggedInAs(sys, 'admin');
  // 6.00 a minute billed by the second: a 0.40 balance buys 4 s; the warning comes 2 s before the end.
  const table = await admin.post('/api/admin/rate-tables', { name: 'cut-test', currency: 'USD' });
  expect(table.status, table.text).toBe(201);
  const tableId = table.body.rateTable.id as number;
  const rate = { prefix: '44', pricePerMinute: '6.00', initialIncrementS: 1, incrementS: 1 };
  expect((await admin.post(`/api/admin/rate-tables/${tableId}/rates`, rate)).status).toBe(201);
  const plan = await admin.post('/api/admin/plans', { name: 'cut-plan', rateTableId: tableId });
  const sub = await admin.post('/api/admin/subscribers', {
    accountNumber: '15550001234',
    displayName: 'Cut test',
    password: 'secret-pw',
    planId: plan.body.plan.id,
  });
  expect(sub.status, sub.text).toBe(201);
  const subscriberId = sub.body.id as number;
  expect(
    (await admin.post(`/api/admin/subscribers/${subscriberId}/credit`, { amount: '0.40', reason: 'test' }))
      .status,
  ).toBe(200);
  const settings = await admin.put('/api/admin/settings', {
    rating: { warnBeforeEndS: 2, maxCallDurationS: 14_400 },
  });
  expect(settings.status, settings.text).toBe(200);

  // The subscriber's phone (leg A) and the destination behind the trunk (leg B).
  const phone = await deskPhone(defer, sys, 'dave');
  phone.onInvite = (inc) => void phone.answer(inc);
  const destination = await SoftPhone.start({ min: rtp + 30, max: rtp + 49 });
  defer(() => destination.close());
  destination.onInvite = (inc) => void destination.answer(inc);
  const [trunk] = await trunksTo(sys, [destination]);

  let reservation: Reservation | null = null;
  let bridged: BridgeEnd | null = null;
  const heard: Record<string, number> = {};
  let costMinor = -1;
  const call = await sys.deps.scripts.run({ type: 'auto', service: 'test_prepaid' }, async (c) => {
    const a = c.originate({ to: '1004', via: { extension: '1004' }, role: 'customer' });
    expect(await a.outcome()).toBe('connected');
    const r = await sys.deps.rating.reserve(subscriberId, '+442079460958', { callId: c.cdrId });
    expect(r.ok).toBe(true);
    reservation = r as Reservation;
    const b = c.originate({ to: '+442079460958', via: { trunk: trunk! }, role: 'destination' });
    expect(await b.outcome()).toBe('connected');
    heard.start = phone.heard;
    const end = c.bridge(a, b, {
      maxDurationMs: reservation.maxDurationMs,
      warnBeforeEndMs: reservation.warnBeforeEndMs,
      endPrompt: 'credit-exhausted',
    });
    await c.wait(1500);
    heard.beforeWarning = phone.heard;
    bridged = await end;
    heard.afterCut = phone.heard;
    const settled = await sys.deps.rating.settle(
      reservation.reservationId,
      Math.floor(bridged.durationMs / 1000),
    );
    costMinor = settled.costMinor;
  });
  await sys.deps.scripts.whenEnded(call);

  expect(reservation!.maxDurationMs).toBe(4000);
  expect(reservation!.warnBeforeEndMs).toBe(2000);
  expect(bridged).toMatchObject({ endedBy: 'system', reason: 'max_duration' });
  expect(bridged!.durationMs).toBeGreaterThanOrEqual(3900);
  // Silence from B until the warning; the warning and the credit sound reach A.
  expect(heard.beforeWarning! - heard.start!).toBeLessThan(5);
  expect(heard.afterCut! - heard.beforeWarning!).toBeGreaterThan(20);
  await destination.until(() => destination.inDialog.some((r) => r.method === 'BYE'), 5000, 'B released');
  expect(costMinor).toBe(40);
  const account = await sys.db
    .selectFrom('subscribers')
    .select(['balance_minor', 'reserved_minor'])
    .where('id', '=', subscriberId)
    .executeTakeFirstOrThrow();
  expect({ balance: Number(account.balance_minor), reserved: Number(account.reserved_minor) }).toEqual({
    balance: 0,
    reserved: 0,
  });
  await expectNothingLeft(sys);
});
