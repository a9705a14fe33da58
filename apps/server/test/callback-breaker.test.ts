import type { LiveEvent } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { customerPhone, databases, startSwitch } from './call-control-harness';
import { deferrer } from './defer';
import { type ApiClient, loggedInAs, type TestSystem } from './test-system';

/** Live events as an administrator's stream and an agent's stream would see them. */
function watchEvents(sys: TestSystem) {
  const admin: LiveEvent[] = [];
  const agent: LiveEvent[] = [];
  sys.deps.events.subscribe({ userId: -1, role: 'admin' }, (e) => admin.push(e.event));
  sys.deps.events.subscribe({ userId: -2, role: 'agent' }, (e) => agent.push(e.event));
  return { admin, agent };
}

async function breakerCaps(
  admin: ApiClient,
  caps: { maxMinutesPerHour: number | null; maxCallsPerHour: number | null },
) {
  const res = await admin.put('/api/admin/settings', { callbackBreaker: caps });
  expect(res.status, res.text).toBe(200);
  expect(res.body.callbackBreaker).toEqual(caps);
}

async function auditActions(sys: TestSystem, like: string) {
  const rows = await sys.db
    .selectFrom('audit_log')
    .select(['action', 'after'])
    .where('action', 'like', like)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ action: r.action, after: JSON.parse(r.after ?? '{}') }));
}

for (const kind of databases) {
  describe(`the callback circuit breaker [${kind}]`, () => {
    it('trips on the calls-per-hour cap: the next request is refused and logged, admins alerted; a higher cap closes it', {
      timeout: 120_000,
    }, async ({ onTestFinished }) => {
      const defer = deferrer(onTestFinished);
      const sys = await startSwitch(defer, {}, kind);
      const admin = await loggedInAs(sys, 'admin');
      const events = watchEvents(sys);
      // Bad caps are refused and change nothing.
      const bad = await admin.put('/api/admin/settings', {
        callbackBreaker: { maxMinutesPerHour: 0, maxCallsPerHour: null },
      });
      expect(bad.status).toBe(400);
      expect((await admin.get('/api/admin/settings')).body.callbackBreaker).toEqual({
        maxMinutesPerHour: null,
        maxCallsPerHour: null,
      });
      await breakerCaps(admin, { maxMinutesPerHour: null, maxCallsPerHour: 2 });
      // Two services: the cap is over all of them. The call backs wait 60 s, so none is placed.
      for (const [name, accessNumber] of [
        ['first', '5550157'],
        ['second', '5550158'],
      ]) {
        const res = await admin.post('/api/admin/callback-services', {
          name,
          accessNumber,
          ringSeconds: 0,
          delayS: 60,
          security: 'none',
        });
        expect(res.status, res.text).toBe(201);
      }
      const caller = await customerPhone(defer);
      const trigger = async (did: string, from: string) => {
        expect((await caller.call(sys, did, from)).status).toBe(486);
      };
      const statuses = async () =>
        (
          await sys.db.selectFrom('callback_requests').select(['status', 'reason']).orderBy('id').execute()
        ).map((r) => `${r.status}/${r.reason}`);
      await trigger('5550157', '+14155550171');
      await trigger('5550158', '+14155550172');
      await expect.poll(statuses, { timeout: 15_000 }).toEqual(['scheduled/null', 'scheduled/null']);
      await trigger('5550157', '+14155550173');
      await expect
        .poll(statuses, { timeout: 15_000 })
        .toEqual(['scheduled/null', 'scheduled/null', 'refused/circuit_breaker']);
      expect(sys.deps.callbackServices.scheduled).toBe(2);

      const status = await admin.get('/api/admin/callback-services/breaker');
      expect(status.status, status.text).toBe(200);
      expect(status.body).toMatchObject({
        tripped: true,
        reason: 'calls',
        callsLastHour: 2,
        minutesLastHour: 0,
        maxCallsPerHour: 2,
        maxMinutesPerHour: null,
      });
      expect(status.body.trippedAt).toEqual(expect.any(Number));
      const tripped = events.admin.filter((e) => e.type === 'callback_breaker');
      expect(tripped).toMatchObject([{ tripped: true, reason: 'calls', callsLastHour: 2 }]);
      expect(events.agent.filter((e) => e.type === 'callback_breaker')).toEqual([]);
      // A second refusal while it stays open: refused and audited again, but one alert per trip.
      await trigger('5550158', '+14155550174');
      await expect.poll(async () => (await statuses()).length, { timeout: 15_000 }).toBe(4);
      expect((await statuses())[3]).toBe('refused/circuit_breaker');
      expect(await auditActions(sys, 'callback.breaker%')).toMatchObject([
        {
          action: 'callback.breaker_tripped',
          after: { reason: 'calls', callsLastHour: 2, maxCallsPerHour: 2 },
        },
      ]);
      expect((await auditActions(sys, 'callback.refused')).map((a) => a.after.reason)).toEqual([
        'circuit_breaker',
        'circuit_breaker',
      ]);

      // The administrator raises the cap: the next request is accepted and the alert is withdrawn.
      await breakerCaps(admin, { maxMinutesPerHour: null, maxCallsPerHour: 10 });
      await trigger('5550157', '+14155550175');
      await expect.poll(async () => (await statuses())[4], { timeout: 15_000 }).toBe('scheduled/null');
      expect(events.admin.filter((e) => e.type === 'callback_breaker')).toMatchObject([
        { tripped: true },
        { tripped: false, reason: null, callsLastHour: 2 },
      ]);
      expect((await auditActions(sys, 'callback.breaker%')).map((a) => a.action)).toEqual([
        'callback.breaker_tripped',
        'callback.breaker_closed',
      ]);
      expect((await admin.get('/api/admin/callback-services/breaker')).body).toMatchObject({
        tripped: false,
        reason: null,
        callsLastHour: 3,
        trippedAt: null,
      });
    });

    it('trips on the minutes-per-hour cap, counting only the last hour of call back legs', {
      timeout: 120_000,
    }, async ({ onTestFinished }) => {
      const defer = deferrer(onTestFinished);
      const sys = await startSwitch(defer, {}, kind);
      const admin = await loggedInAs(sys, 'admin');
      const events = watchEvents(sys);
      const minute = 60_000;
      const now = Date.now();
      // Earlier traffic: a call back whose legs talked 15 min (ended 5 min ago) and 50 min (of which
      // the last 20 within the hour), and a queue call of 60 min that is not a call back.
      const call = async (service: string | null, legs: Array<[number, number]>) => {
        const row = await sys.db
          .insertInto('calls')
          .values({
            call_uuid: `breaker-${service}-${legs.length}`,
            type: 'auto',
            queue_id: null,
            agent_user_id: null,
            customer_id: null,
            customer_number: '+14155550190',
            customer_digits: null,
            caller_number: null,
            called_number: null,
            started_at: now - 100 * minute,
            answered_at: now - 90 * minute,
            ended_at: now - 5 * minute,
            disposition: 'answered',
            hangup_cause: 'normal_clearing',
            hangup_side: 'customer',
            transfer_chain: null,
            recording_id: null,
            quality: null,
            status: 'closed',
            node_id: null,
            source_ref: null,
            service,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        for (const [i, [answeredAgo, endedAgo]] of legs.entries())
          await sys.db
            .insertInto('call_legs')
            .values({
              call_id: row.id,
              leg_uuid: `${row.id}-${i}`,
              role: i === 0 ? 'customer' : 'destination',
              peer: '+14155550190',
              started_at: now - answeredAgo * minute,
              answered_at: now - answeredAgo * minute,
              ended_at: now - endedAgo * minute,
              disposition: 'answered',
              hangup_cause: 'normal_clearing',
            })
            .execute();
      };
      await call('callback', [
        [20, 5],
        [90, 40],
      ]);
      await call(null, [[70, 10]]);
      expect((await admin.get('/api/admin/callback-services/breaker')).body).toMatchObject({
        tripped: false,
        callsLastHour: 0,
      });
      const before = (await admin.get('/api/admin/callback-services/breaker')).body.minutesLastHour;
      expect(before).toBeGreaterThan(34.9);
      expect(before).toBeLessThanOrEqual(35);

      await breakerCaps(admin, { maxMinutesPerHour: 35, maxCallsPerHour: null });
      const res = await admin.post('/api/admin/callback-services', {
        name: 'minutes',
        accessNumber: '5550159',
        ringSeconds: 0,
        delayS: 60,
        security: 'none',
      });
      expect(res.status, res.text).toBe(201);
      const caller = await customerPhone(defer);
      // 34.9… minutes: under the cap.
      expect((await caller.call(sys, '5550159', '+14155550191')).status).toBe(486);
      await breakerCaps(admin, { maxMinutesPerHour: 34, maxCallsPerHour: null });
      expect((await caller.call(sys, '5550159', '+14155550192')).status).toBe(486);
      await expect
        .poll(
          async () =>
            (
              await sys.db
                .selectFrom('callback_requests')
                .select(['status', 'reason'])
                .orderBy('id')
                .execute()
            ).map((r) => `${r.status}/${r.reason}`),
          { timeout: 15_000 },
        )
        .toEqual(['scheduled/null', 'refused/circuit_breaker']);
      expect(events.admin.filter((e) => e.type === 'callback_breaker')).toMatchObject([
        { tripped: true, reason: 'minutes' },
      ]);
      expect(await auditActions(sys, 'callback.breaker%')).toMatchObject([
        { action: 'callback.breaker_tripped', after: { reason: 'minutes', maxMinutesPerHour: 34 } },
      ]);
    });
  });
}
