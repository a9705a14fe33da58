import { describe, expect, it } from 'vitest';
import { CallbackServices } from '../src/callback-services/callback-service';
import { customerPhone, databases, deskPhone, startSwitch } from './call-control-harness';
import { demoSubscriberId, triggerCall, typeDigitsInOneCapture } from './callback-peers';
import { deferrer } from './defer';
import { answeringCarrier, expectNothingLeft, startCarrier, trunksTo } from './script-peers';
import { customerHangsUp } from './sipp/uas-scenario';
import { type ApiClient, loggedInAs, type TestSystem } from './test-system';

/** A US number to call as leg B. */
const DESTINATION = '14153829175';

/**
 * Ring and delay of the services under test: short (the product takes fractions of a second), yet
 * long enough that "after the ring" and "after the delay" are told apart from "at once".
 */
const RING_MS = 300;
const DELAY_MS = 300;

async function callbackRows(sys: TestSystem) {
  const trigger = await sys.db
    .selectFrom('calls')
    .selectAll()
    .where('service', '=', 'callback_service')
    .orderBy('id')
    .execute();
  const callback = await sys.db
    .selectFrom('calls')
    .selectAll()
    .where('service', '=', 'callback')
    .orderBy('id')
    .execute();
  return { trigger, callback };
}

/** Calls of at most 5 minutes: "you can talk for five minutes" is a short prompt. */
async function shortCalls(admin: ApiClient) {
  const settings = await admin.put('/api/admin/settings', {
    rating: { warnBeforeEndS: 30, maxCallDurationS: 300 },
  });
  expect(settings.status, settings.text).toBe(200);
}

async function legsOf(sys: TestSystem, callId: number) {
  return sys.db
    .selectFrom('call_legs')
    .select(['role', 'peer', 'answered_at', 'ended_at', 'cost_micros', 'hangup_cause'])
    .where('call_id', '=', callId)
    .orderBy('id')
    .execute();
}

for (const kind of databases) {
  describe(`callback services on calls [${kind}]`, () => {
    it('sipp both ways: the trigger rings then gets busy, the call back comes after the delay, DTMF PIN and destination, B bridged and rated, the caller remembered', {
      timeout: 120_000,
    }, async ({ onTestFinished }) => {
      const defer = deferrer(onTestFinished);
      const sys = await startSwitch(defer, {}, kind);
      const admin = await loggedInAs(sys, 'admin');
      const demo = await demoSubscriberId(sys);
      // Leg B: a phone behind trunk 1 (the trunk B goes out on) that answers and hangs up 1.5 s later.
      const b = await customerPhone(defer);
      b.onInvite = (inc) =>
        void b.answer(inc).then(async () => {
          await new Promise((r) => setTimeout(r, 1500));
          await b.dialog?.bye();
        });
      // Leg A: sipp behind trunk 2 (the service's), typing the PIN then the destination as RFC 4733 events.
      const a = await startCarrier(
        defer,
        answeringCarrier(typeDigitsInOneCapture(`1234#${DESTINATION}#`, 500)),
      );
      const [, trunkA] = await trunksTo(sys, [b, a]);
      const created = await admin.post('/api/admin/callback-services', {
        name: 'sipp service',
        accessNumber: '5550166',
        method: 'call_caller',
        trunkId: trunkA,
        ringSeconds: RING_MS / 1000,
        delayS: DELAY_MS / 1000,
        security: 'pin',
        subscriberId: demo,
        // Only the last prompt (after B hangs up) waits for a key that never comes.
        firstDigitTimeoutS: 0.3,
        interDigitTimeoutS: 5,
        maxAttempts: 1,
      });
      expect(created.status, created.text).toBe(201);
      await shortCalls(admin);

      const trigger = await triggerCall(defer, sys, '5550166', '+14155550177');
      expect(await trigger.exited, trigger.output).toBe(0);
      expect(await a.exited, a.output).toBe(0);
      await expect.poll(() => sys.deps.scripts.calls.length, { timeout: 20_000 }).toBe(0);

      const rows = await callbackRows(sys);
      expect(rows.trigger).toHaveLength(1);
      const t = rows.trigger[0]!;
      expect(t).toMatchObject({ type: 'inbound', disposition: 'busy', caller_number: '+14155550177' });
      // Rang, then busy; never answered, so never charged.
      expect(Number(t.ended_at) - Number(t.started_at)).toBeGreaterThanOrEqual(RING_MS - 10);
      expect(t.answered_at).toBeNull();
      expect(rows.callback).toHaveLength(1);
      const cb = rows.callback[0]!;
      // The call back waits for the delay after the trigger call ends. The trigger's record is stamped
      // a little after the delay starts (once the hang-up has gone through the switch), by more on a
      // busy machine: half the delay is the margin.
      expect(Number(cb.started_at) - Number(t.ended_at)).toBeGreaterThanOrEqual(DELAY_MS / 2);
      expect(cb).toMatchObject({ type: 'auto', disposition: 'answered', customer_number: '+14155550177' });
      const legs = await legsOf(sys, cb.id);
      expect(legs.map((l) => [l.role, l.peer])).toEqual([
        ['customer', '+14155550177'],
        ['destination', `+${DESTINATION}`],
      ]);
      expect(legs.every((l) => l.answered_at !== null && l.ended_at !== null)).toBe(true);
      expect(Number(legs[1]!.cost_micros)).toBeGreaterThan(0);
      // B saw the subscriber's caller ID.
      const bInvite = b.invites[0]!.request;
      expect(bInvite.from?.uri.type === 'sip' ? bInvite.from.uri.user : null).toBe('+14155550132');
      const reservations = await sys.db
        .selectFrom('rate_reservations')
        .select(['status', 'subscriber_id'])
        .where('call_id', '=', cb.id)
        .execute();
      expect(reservations).toEqual([{ status: 'settled', subscriber_id: demo }]);
      // The correct PIN made the caller's number an authorized caller ID.
      const ids = await sys.db
        .selectFrom('subscriber_caller_ids')
        .select('number')
        .where('subscriber_id', '=', demo)
        .execute();
      expect(ids.map((r) => r.number)).toContain('+14155550177');
      const request = await sys.db.selectFrom('callback_requests').selectAll().executeTakeFirstOrThrow();
      expect(request).toMatchObject({ status: 'done', source: 'call', call_id: cb.id, subscriber_id: demo });
      await expectNothingLeft(sys);
    });

    it('security modes without a PIN: a service password (a wrong one first, then the right one) and none; B bridged each time', {
      timeout: 120_000,
    }, async ({ onTestFinished }) => {
      const defer = deferrer(onTestFinished);
      const sys = await startSwitch(defer, {}, kind);
      const admin = await loggedInAs(sys, 'admin');
      const demo = await demoSubscriberId(sys);
      // Leg B: a sipp UAS behind trunk 1 that answers each call back's destination and hangs up.
      const b = await startCarrier(defer, customerHangsUp(1000), { calls: 2, timeoutMs: 90_000 });
      // One sipp leg A per service, each typing what its service asks before the destination; the
      // second waits for the first call to be over before its own starts.
      const withPassword = await startCarrier(
        defer,
        answeringCarrier(typeDigitsInOneCapture(`9999#4321#${DESTINATION}#`, 500)),
        { timeoutMs: 90_000 },
      );
      const open = await startCarrier(
        defer,
        answeringCarrier(typeDigitsInOneCapture(`${DESTINATION}#`, 500)),
        { timeoutMs: 90_000 },
      );
      const [, trunkPassword, trunkOpen] = await trunksTo(sys, [b, withPassword, open]);
      const common = {
        method: 'call_caller',
        ringSeconds: RING_MS / 1000,
        delayS: DELAY_MS / 1000,
        subscriberId: demo,
        announceBalance: false,
        firstDigitTimeoutS: 0.3,
        interDigitTimeoutS: 5,
        maxAttempts: 2,
      };
      for (const body of [
        {
          ...common,
          name: 'password service',
          accessNumber: '5550167',
          trunkId: trunkPassword,
          security: 'service_password',
          servicePassword: '4321',
        },
        { ...common, name: 'open service', accessNumber: '5550168', trunkId: trunkOpen, security: 'none' },
      ]) {
        const created = await admin.post('/api/admin/callback-services', body);
        expect(created.status, created.text).toBe(201);
      }
      await shortCalls(admin);

      for (const [did, caller, sipp] of [
        ['5550167', '+14155550178', withPassword],
        ['5550168', '+14155550179', open],
      ] as const) {
        const trigger = await triggerCall(defer, sys, did, caller);
        expect(await trigger.exited, trigger.output).toBe(0);
        expect(await sipp.exited, sipp.output).toBe(0);
        await expect.poll(() => sys.deps.scripts.calls.length, { timeout: 20_000 }).toBe(0);
        const cb = (await callbackRows(sys)).callback.find((c) => c.customer_number === caller);
        expect(cb, did).toMatchObject({ disposition: 'answered' });
        const legs = await legsOf(sys, cb!.id);
        expect(
          legs.map((l) => [l.role, l.peer]),
          did,
        ).toEqual([
          ['customer', caller],
          ['destination', `+${DESTINATION}`],
        ]);
        expect(legs.every((l) => l.answered_at !== null && l.ended_at !== null)).toBe(true);
        const request = await sys.db
          .selectFrom('callback_requests')
          .selectAll()
          .where('call_id', '=', cb!.id)
          .executeTakeFirstOrThrow();
        expect(request, did).toMatchObject({ status: 'done', subscriber_id: demo });
      }
      // Neither mode remembers the caller as an authorized caller ID (only a correct PIN does).
      const ids = await sys.db
        .selectFrom('subscriber_caller_ids')
        .select('number')
        .where('subscriber_id', '=', demo)
        .execute();
      expect(ids.map((r) => r.number)).not.toContain('+14155550178');
      expect(ids.map((r) => r.number)).not.toContain('+14155550179');
      // B took both calls, answered and hung up each.
      expect(await b.exited, b.output).toBe(0);
      await expectNothingLeft(sys);
    });

    it('#11 ends B and the destination prompt comes back; a second destination; A hanging up ends all', {
      timeout: 120_000,
    }, async ({ onTestFinished }) => {
      const defer = deferrer(onTestFinished);
      const sys = await startSwitch(defer, {}, kind);
      const admin = await loggedInAs(sys, 'admin');
      const b = await customerPhone(defer);
      const bFrom: string[] = [];
      b.onInvite = (inc) => {
        bFrom.push(inc.request.from?.uri.type === 'sip' ? (inc.request.from.uri.user ?? '') : '');
        void b.answer(inc);
      };
      const a = await customerPhone(defer);
      a.onInvite = (inc) => void a.answer(inc);
      const [, trunkA] = await trunksTo(sys, [b, a]);
      // The demo service on 5550199, made quicker and pointed at A's trunk.
      const list = await admin.get('/api/admin/callback-services');
      const demoService = list.body.callbackServices.find(
        (s: { accessNumber: string }) => s.accessNumber === '5550199',
      );
      const put = await admin.put(`/api/admin/callback-services/${demoService.id}`, {
        trunkId: trunkA,
        ringSeconds: RING_MS / 1000,
        delayS: DELAY_MS / 1000,
        announceBalance: false,
      });
      expect(put.status, put.text).toBe(200);
      await shortCalls(admin);

      // The authorized caller ID calls in: no PIN asked.
      const caller = await customerPhone(defer);
      expect((await caller.call(sys, '5550199', '+14155550132')).status).toBe(486);
      await expect.poll(() => a.dialog?.state, { timeout: 20_000 }).toBe('confirmed');
      await a.talk(300);
      await a.leg!.sendDigits(`${DESTINATION}#`);
      await expect.poll(() => b.dialog?.state, { timeout: 20_000 }).toBe('confirmed');
      expect(bFrom).toEqual(['+14155550132']);
      const heardBefore = a.heard;
      await b.talk(600);
      await a.until(() => a.heard > heardBefore + 5, 15_000, 'A hears B');
      const bFirst = b.dialog!;
      await a.leg!.sendDigits('#11');
      await b.until(() => b.inDialog.some((r) => r.method === 'BYE'), 15_000, 'B released by #11');
      // The destination prompt again, then a second call.
      const heardAfter = a.heard;
      await a.until(() => a.heard > heardAfter + 20, 15_000, 'the destination prompt again');
      await a.leg!.sendDigits(`${DESTINATION}#`);
      await expect
        .poll(() => b.dialog !== bFirst && b.dialog?.state === 'confirmed', { timeout: 20_000 })
        .toBe(true);
      await new Promise((r) => setTimeout(r, 1200));
      await a.dialog!.bye();
      await b.until(
        () => b.inDialog.filter((r) => r.method === 'BYE').length >= 2,
        15_000,
        'B released with A',
      );
      await expect.poll(() => sys.deps.scripts.calls.length, { timeout: 20_000 }).toBe(0);
      const { callback } = await callbackRows(sys);
      expect(callback).toHaveLength(1);
      const legs = await legsOf(sys, callback[0]!.id);
      expect(legs.map((l) => l.role)).toEqual(['customer', 'destination', 'destination']);
      expect(legs[1]!.hangup_cause).toBe('disconnect_sequence');
      const reservations = await sys.db
        .selectFrom('rate_reservations')
        .select('status')
        .where('call_id', '=', callback[0]!.id)
        .execute();
      expect(reservations.map((r) => r.status)).toEqual(['settled', 'settled']);
      await expectNothingLeft(sys);
    });

    it('no call back for a hidden caller ID or an unauthorized one; limits per service and per subscriber; all audited', {
      timeout: 120_000,
    }, async ({ onTestFinished }) => {
      const defer = deferrer(onTestFinished);
      const sys = await startSwitch(defer, {}, kind);
      const admin = await loggedInAs(sys, 'admin');
      const make = async (body: Record<string, unknown>) => {
        const res = await admin.post('/api/admin/callback-services', {
          ringSeconds: 0,
          delayS: 60,
          ...body,
        });
        expect(res.status, res.text).toBe(201);
        return res.body.id as number;
      };
      const authorizedOnly = await make({
        name: 'authorized only',
        accessNumber: '5550155',
        method: 'call_authorized',
        maxPerHour: 5,
        subscriberMaxConcurrent: 1,
      });
      const hourly = await make({ name: 'hourly', accessNumber: '5550156', maxPerHour: 1 });
      const caller = await customerPhone(defer);
      const trigger = async (did: string, from: string) => {
        expect((await caller.call(sys, did, from)).status).toBe(486);
      };
      const anonymous = await triggerCall(defer, sys, '5550155', 'anonymous');
      expect(await anonymous.exited, anonymous.output).toBe(0);
      await trigger('5550155', '+14155550188'); // not an authorized caller ID
      await trigger('5550155', '+14155550132'); // authorized: scheduled
      await trigger('5550155', '+14155550132'); // the subscriber already has one in progress
      await trigger('5550156', '+14155550101'); // scheduled
      await trigger('5550156', '+14155550102'); // over the service's hourly limit
      const requests = async () =>
        (
          await sys.db
            .selectFrom('callback_requests')
            .select(['service_id', 'caller_number', 'status', 'reason'])
            .orderBy('id')
            .execute()
        ).map((r) => [r.service_id, r.caller_number, r.status, r.reason]);
      await expect.poll(requests, { timeout: 15_000 }).toEqual([
        [authorizedOnly, 'anonymous', 'refused', 'hidden_caller_id'],
        [authorizedOnly, '+14155550188', 'refused', 'not_authorized'],
        [authorizedOnly, '+14155550132', 'scheduled', null],
        [authorizedOnly, '+14155550132', 'refused', 'subscriber_concurrent_limit'],
        [hourly, '+14155550101', 'scheduled', null],
        [hourly, '+14155550102', 'refused', 'service_hourly_limit'],
      ]);
      expect(sys.deps.callbackServices.scheduled).toBe(2);
      await expect
        .poll(async () =>
          (
            await sys.db
              .selectFrom('audit_log')
              .select('after')
              .where('action', '=', 'callback.refused')
              .orderBy('id')
              .execute()
          ).map((a) => JSON.parse(a.after ?? '{}').reason),
        )
        .toEqual([
          'hidden_caller_id',
          'not_authorized',
          'subscriber_concurrent_limit',
          'service_hourly_limit',
        ]);
      // Nothing was called back (the accepted ones wait for their 60 s delay).
      const { callback } = await callbackRows(sys);
      expect(callback).toEqual([]);
    });

    it('two requests at once against a limit of one: one is scheduled, the other refused', {
      timeout: 60_000,
    }, async ({ onTestFinished }) => {
      const defer = deferrer(onTestFinished);
      const sys = await startSwitch(defer, {}, kind);
      const admin = await loggedInAs(sys, 'admin');
      const res = await admin.post('/api/admin/callback-services', {
        name: 'one an hour',
        accessNumber: '5550157',
        ringSeconds: 0,
        delayS: 60,
        maxPerHour: 1,
      });
      expect(res.status, res.text).toBe(201);
      const service = await sys.db
        .selectFrom('callback_services')
        .selectAll()
        .where('id', '=', res.body.id)
        .executeTakeFirstOrThrow();
      // Not awaited one by one: a caller redialling at once, or two callers together.
      const results = await Promise.all(
        ['+14155550103', '+14155550104', '+14155550105'].map((callerNumber) =>
          sys.deps.callbackServices.order({ service, source: 'call', callerNumber }, false),
        ),
      );
      expect(results.map((r) => (r.ok ? 'scheduled' : r.reason))).toEqual([
        'scheduled',
        'service_hourly_limit',
        'service_hourly_limit',
      ]);
      if (kind !== 'postgres') return;
      // Two nodes on one PostgreSQL: another node's service decides at the same moment as this one's.
      const twice = await admin.post('/api/admin/callback-services', {
        name: 'one an hour, two nodes',
        accessNumber: '5550158',
        ringSeconds: 0,
        delayS: 60,
        maxPerHour: 1,
      });
      expect(twice.status, twice.text).toBe(201);
      const shared = await sys.db
        .selectFrom('callback_services')
        .selectAll()
        .where('id', '=', twice.body.id)
        .executeTakeFirstOrThrow();
      const nodeB = new CallbackServices({
        db: sys.db,
        logger: sys.deps.logger,
        scripts: sys.deps.scripts,
        rating: sys.deps.rating,
        accounts: sys.deps.subscriberAccounts,
        nodeId: 'node-b',
        defaultCountry: 'US',
      });
      const nodes = [sys.deps.callbackServices, nodeB, sys.deps.callbackServices, nodeB];
      const acrossNodes = await Promise.all(
        ['+14155550106', '+14155550107', '+14155550108', '+14155550109'].map((callerNumber, i) =>
          nodes[i]!.order({ service: shared, source: 'call', callerNumber }, false),
        ),
      );
      expect(acrossNodes.filter((r) => r.ok)).toHaveLength(1);
      expect(acrossNodes.filter((r) => !r.ok && r.reason === 'service_hourly_limit')).toHaveLength(3);
    });

    it('premium destinations are refused (audited); zero credit plays the credit sound and ends the call', {
      timeout: 120_000,
    }, async ({ onTestFinished }) => {
      const defer = deferrer(onTestFinished);
      const sys = await startSwitch(defer, {}, kind);
      const admin = await loggedInAs(sys, 'admin');
      const plan = await sys.db
        .selectFrom('plans')
        .select('id')
        .where('name', '=', 'Standard')
        .executeTakeFirstOrThrow();
      const sub = await admin.post('/api/admin/subscribers', {
        accountNumber: '14703625819',
        displayName: 'No credit',
        password: 'secret-pw',
        planId: plan.id,
      });
      expect(sub.status, sub.text).toBe(201);
      const b = await customerPhone(defer);
      b.onInvite = (inc) => void b.answer(inc);
      const a = await customerPhone(defer);
      a.onInvite = (inc) => void a.answer(inc);
      const [, trunkA] = await trunksTo(sys, [b, a]);
      const created = await admin.post('/api/admin/callback-services', {
        name: 'no credit',
        accessNumber: '5550144',
        trunkId: trunkA,
        ringSeconds: 0,
        delayS: DELAY_MS / 1000,
        security: 'none',
        subscriberId: sub.body.id,
        announceBalance: false,
      });
      expect(created.status, created.text).toBe(201);
      const caller = await customerPhone(defer);
      expect((await caller.call(sys, '5550144', '+14155550140')).status).toBe(486);
      await expect.poll(() => a.dialog?.state, { timeout: 20_000 }).toBe('confirmed');
      await a.talk(300);
      await a.leg!.sendDigits('19005550123#');
      await new Promise((r) => setTimeout(r, 500));
      await a.leg!.sendDigits(`${DESTINATION}#`);
      await a.until(
        () => a.inDialog.some((r) => r.method === 'BYE'),
        20_000,
        'A hung up after the credit sound',
      );
      await expect.poll(() => sys.deps.scripts.calls.length, { timeout: 20_000 }).toBe(0);
      expect(b.invites).toHaveLength(0);
      const refused = await sys.db
        .selectFrom('audit_log')
        .select('after')
        .where('action', '=', 'callback.destination_refused')
        .executeTakeFirstOrThrow();
      expect(JSON.parse(refused.after ?? '{}')).toMatchObject({
        destination: '+19005550123',
        reason: 'premium',
      });
      const request = await sys.db.selectFrom('callback_requests').selectAll().executeTakeFirstOrThrow();
      expect(request).toMatchObject({ status: 'done', reason: 'credit_exhausted' });
      await expectNothingLeft(sys);
    });

    it('calls back a fixed number or an extension instead of the caller', { timeout: 120_000 }, async ({
      onTestFinished,
    }) => {
      const defer = deferrer(onTestFinished);
      const sys = await startSwitch(defer, {}, kind);
      const admin = await loggedInAs(sys, 'admin');
      const fixed = await customerPhone(defer);
      fixed.onInvite = (inc) => inc.reply(486);
      const [trunk] = await trunksTo(sys, [fixed]);
      const dave = await deskPhone(defer, sys, 'dave');
      dave.onInvite = (inc) => inc.reply(486);
      for (const body of [
        {
          name: 'fixed',
          accessNumber: '5550133',
          method: 'call_number',
          number: '+14155550160',
          trunkId: trunk,
        },
        { name: 'extension', accessNumber: '5550134', method: 'call_extension', extension: '1004' },
      ])
        expect(
          (await admin.post('/api/admin/callback-services', { ringSeconds: 0, delayS: 0, ...body })).status,
        ).toBe(201);
      const caller = await customerPhone(defer);
      expect((await caller.call(sys, '5550133', '+14155550161')).status).toBe(486);
      const toFixed = await fixed.nextInvite();
      expect(toFixed.request.uri.type === 'sip' ? toFixed.request.uri.user : null).toBe('+14155550160');
      expect((await caller.call(sys, '5550134', '+14155550162')).status).toBe(486);
      await dave.nextInvite();
      await expect.poll(() => sys.deps.scripts.calls.length, { timeout: 20_000 }).toBe(0);
      await expect
        .poll(() =>
          sys.db
            .selectFrom('callback_requests')
            .select(['callback_number', 'status', 'reason'])
            .orderBy('id')
            .execute(),
        )
        .toEqual([
          { callback_number: '+14155550160', status: 'failed', reason: 'busy' },
          { callback_number: '1004', status: 'failed', reason: 'busy' },
        ]);
      await expectNothingLeft(sys);
    });

    it('three wrong PINs end the call (audited); repeated failures lock the number out', {
      timeout: 120_000,
    }, async ({ onTestFinished }) => {
      const defer = deferrer(onTestFinished);
      const sys = await startSwitch(defer, {}, kind);
      const admin = await loggedInAs(sys, 'admin');
      const demo = await demoSubscriberId(sys);
      const a = await customerPhone(defer);
      a.onInvite = (inc) =>
        void a.answer(inc).then(async () => {
          await a.talk(300);
          for (const pin of ['9876#', '8765#', '7654#']) await a.leg!.sendDigits(pin);
        });
      const [trunkA] = await trunksTo(sys, [a]);
      const created = await admin.post('/api/admin/callback-services', {
        name: 'pin',
        accessNumber: '5550122',
        trunkId: trunkA,
        ringSeconds: 0,
        delayS: 0,
        security: 'pin',
        subscriberId: demo,
        announceBalance: false,
        maxAttempts: 3,
      });
      expect(created.status, created.text).toBe(201);
      const caller = await customerPhone(defer);
      for (let round = 1; round <= 2; round++) {
        expect((await caller.call(sys, '5550122', '+14155550123')).status).toBe(486);
        await a.until(
          () => a.inDialog.filter((r) => r.method === 'BYE').length >= round,
          30_000,
          `call back ${round} ended after three wrong PINs`,
        );
        await expect.poll(() => sys.deps.scripts.calls.length, { timeout: 20_000 }).toBe(0);
      }
      // Six wrong PINs within the window: the number gets no call back for a while.
      expect((await caller.call(sys, '5550122', '+14155550123')).status).toBe(486);
      await expect
        .poll(async () =>
          (
            await sys.db.selectFrom('callback_requests').select(['status', 'reason']).orderBy('id').execute()
          ).map((r) => `${r.status}/${r.reason}`),
        )
        .toEqual(['failed/wrong_pin', 'failed/wrong_pin', 'refused/locked_out']);
      await expect
        .poll(async () =>
          (
            await sys.db
              .selectFrom('audit_log')
              .select('action')
              .where('action', 'in', ['callback.pin_failed', 'callback.refused'])
              .orderBy('id')
              .execute()
          ).map((r) => r.action),
        )
        .toEqual(['callback.pin_failed', 'callback.pin_failed', 'callback.refused']);
      const ids = await sys.db
        .selectFrom('subscriber_caller_ids')
        .select('number')
        .where('number', '=', '+14155550123')
        .execute();
      expect(ids).toEqual([]);
      await expectNothingLeft(sys);
    });

    it('a shutdown during a call back ends it at once and hangs up the caller', { timeout: 120_000 }, async ({
      onTestFinished,
    }) => {
      const defer = deferrer(onTestFinished);
      const sys = await startSwitch(defer, {}, kind);
      const admin = await loggedInAs(sys, 'admin');
      const a = await customerPhone(defer);
      a.onInvite = (inc) => void a.answer(inc);
      const [trunkA] = await trunksTo(sys, [a]);
      const created = await admin.post('/api/admin/callback-services', {
        name: 'shutdown',
        accessNumber: '5550121',
        trunkId: trunkA,
        ringSeconds: 0,
        delayS: 0,
        security: 'none',
        subscriberId: await demoSubscriberId(sys),
        firstDigitTimeoutS: 60,
      });
      expect(created.status, created.text).toBe(201);
      const caller = await customerPhone(defer);
      expect((await caller.call(sys, '5550121', '+14155550125')).status).toBe(486);
      await expect.poll(() => a.dialog?.state, { timeout: 20_000 }).toBe('confirmed');
      const started = Date.now();
      await sys.stop();
      // The destination prompt waits 60 s for a digit: the shutdown does not.
      expect(Date.now() - started).toBeLessThan(10_000);
      await a.until(() => a.inDialog.some((r) => r.method === 'BYE'), 15_000, 'BYE to A');
    });
  });
}
