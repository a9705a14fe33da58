import type { CallFlow, FlowDefinition } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { databases, deskPhone, startSwitch } from './call-control-harness';
import { demoSubscriberId } from './callback-peers';
import { deferrer } from './defer';
import { component } from './flow-fixtures';
import { callFlowNumber, recordFlowPaths } from './flow-peers';
import { answeringCarrier, expectNothingLeft, startCarrier, trunksTo, typeDigits } from './script-peers';
import { recordEvents } from './switch-events';
import { cdrOf, loggedInAs, type TestSystem, userId } from './test-system';

const play = (id: string, prompt: string, next: string) =>
  component(id, 'play', { prompts: [{ prompt }] }, { next });
const hangup = (id = 'end') => component(id, 'hangup', {});

/** Creates (or updates) and publishes a flow through the admin API; routes `did` to it once. */
async function publish(
  sys: TestSystem,
  name: string,
  definition: FlowDefinition,
  did?: string,
): Promise<number> {
  const admin = await loggedInAs(sys, 'admin');
  const existing = await sys.db
    .selectFrom('call_flows')
    .select('id')
    .where('name', '=', name)
    .executeTakeFirst();
  let id: number;
  if (existing) {
    id = existing.id;
    expect((await admin.put(`/api/admin/flows/${id}`, { definition })).status).toBe(200);
  } else {
    const created = await admin.post('/api/admin/flows', { name, definition });
    expect(created.status, created.text).toBe(201);
    id = (created.body as { flow: CallFlow }).flow.id;
  }
  const published = await admin.post(`/api/admin/flows/${id}/publish`, {});
  expect(published.status, published.text).toBe(200);
  if (did) {
    const route = await admin.post('/api/admin/inbound-routes', {
      number: did,
      targetType: 'flow',
      targetId: String(id),
    });
    expect(route.status, route.text).toBe(201);
  }
  return id;
}

for (const kind of databases) {
  describe(`calls in published flows [${kind}]`, () => {
    it('a menu is chosen by RFC 4733 digits: the caller hears the greeting, presses 2 and takes that branch', {
      timeout: 60_000,
    }, async ({ onTestFinished }) => {
      const defer = deferrer(onTestFinished);
      const sys = await startSwitch(defer, {}, kind);
      const paths = recordFlowPaths(defer, sys.deps.flows);
      await publish(
        sys,
        'Digits',
        {
          start: 'greet',
          components: [
            play('greet', 'welcome', 'menu'),
            component(
              'menu',
              'menu',
              { prompts: [{ prompt: 'please-wait' }], choices: ['1', '2'], timeoutS: 10, attempts: 1 },
              { 'key:1': 'one', 'key:2': 'two', timeout: 'end', invalid: 'end' },
            ),
            play('one', 'digit-1', 'end'),
            play('two', 'digit-2', 'end'),
            hangup(),
          ],
        },
        '5550170',
      );
      const caller = await callFlowNumber(defer, sys, '5550170', {
        caller: '+12025550170',
        afterAnswer: typeDigits('2', 1200),
      });
      const end = await paths.ended(0);
      expect(end.end).toEqual({ how: 'hangup', componentId: 'end' });
      expect(paths.pathOf(end.callId)).toEqual(['greet:next', 'menu:key:2', 'two:next', 'end']);
      expect(await caller.exited, caller.output).toBe(0);
      // The CDR is closed once the call's legs have ended, just after the flow's end.
      await expect
        .poll(async () => (await cdrOf(sys, end.callId)).status, { timeout: 10_000 })
        .toBe('closed');
      expect(await cdrOf(sys, end.callId)).toMatchObject({
        type: 'inbound',
        service: 'flow',
        status: 'closed',
        disposition: 'answered',
        caller_number: '+12025550170',
      });
      await expectNothingLeft(sys);
    });

    it('a time condition sends calls one way a second before the opening hour and the other way at it', {
      timeout: 60_000,
    }, async ({ onTestFinished }) => {
      const defer = deferrer(onTestFinished);
      const sys = await startSwitch(defer, {}, kind);
      const paths = recordFlowPaths(defer, sys.deps.flows);
      await publish(
        sys,
        'Hours',
        {
          start: 'hours',
          components: [
            component(
              'hours',
              'time_condition',
              {
                timeZone: 'Europe/Paris',
                hours: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }],
                holidays: ['2026-12-25'],
              },
              { open: 'open', closed: 'closed' },
            ),
            play('open', 'welcome', 'end'),
            play('closed', 'goodbye', 'end'),
            hangup(),
          ],
        },
        '5550171',
      );
      // Monday 7 December 2026, 09:00 in Paris is 08:00 UTC.
      const opening = Date.UTC(2026, 11, 7, 8, 0, 0);
      for (const [i, at] of [opening - 1000, opening].entries()) {
        sys.deps.flows.now = () => at;
        const caller = await callFlowNumber(defer, sys, '5550171', { caller: `+1202555017${i}` });
        const end = await paths.ended(i);
        expect(paths.pathOf(end.callId)[0]).toBe(i === 0 ? 'hours:closed' : 'hours:open');
        expect(await caller.exited, caller.output).toBe(0);
      }
      await expectNothingLeft(sys);
    });

    it('a queue that turns the caller away takes the full exit; the caller before waits in it', {
      timeout: 60_000,
    }, async ({ onTestFinished }) => {
      const defer = deferrer(onTestFinished);
      const sys = await startSwitch(defer, {}, kind);
      const paths = recordFlowPaths(defer, sys.deps.flows);
      const admin = await loggedInAs(sys, 'admin');
      const queue = await admin.post('/api/admin/queues', { name: 'one-seat', maxLength: 1 });
      expect(queue.status, queue.text).toBe(201);
      const queueId = (queue.body as { id: number }).id;
      await publish(
        sys,
        'Queue',
        {
          start: 'q',
          components: [
            component('q', 'queue', { queueId }, { full: 'sorry' }),
            play('sorry', 'agents-busy-call-later', 'end'),
            hangup(),
          ],
        },
        '5550172',
      );
      const first = await callFlowNumber(defer, sys, '5550172', {
        caller: '+12025550172',
        hangUpAfterMs: 8000,
      });
      const queued = await paths.ended(0);
      expect(queued.end).toEqual({ how: 'queued', queueId, componentId: 'q' });
      const second = await callFlowNumber(defer, sys, '5550172', { caller: '+12025550173' });
      const full = await paths.ended(1);
      expect(paths.pathOf(full.callId)).toEqual(['q:full', 'sorry:next', 'end']);
      expect(await second.exited, second.output).toBe(0);
      expect(await first.exited, first.output).toBe(0);
      await expect
        .poll(async () => (await cdrOf(sys, queued.callId)).status, { timeout: 10_000 })
        .toBe('closed');
      expect(await cdrOf(sys, queued.callId)).toMatchObject({ queue_id: queueId, hangup_side: 'customer' });
      await expectNothingLeft(sys);
    });

    it('a Queue component gives the caller back to the flow: no agents on arrival, its own max wait, the last agent signing out', {
      timeout: 60_000,
    }, async ({ onTestFinished }) => {
      const defer = deferrer(onTestFinished);
      const sys = await startSwitch(defer, {}, kind);
      const paths = recordFlowPaths(defer, sys.deps.flows);
      const admin = await loggedInAs(sys, 'admin');
      const queue = await admin.post('/api/admin/queues', { name: 'night-desk' });
      expect(queue.status, queue.text).toBe(201);
      const queueId = (queue.body as { id: number }).id;
      const exits = { full: 'none', max_wait: 'late', no_agents: 'none' };
      const rest = [play('late', 'please-wait', 'end'), play('none', 'goodbye', 'end'), hangup()];
      await publish(
        sys,
        'Queue exits',
        { start: 'q', components: [component('q', 'queue', { queueId, maxWaitS: 1 }, exits), ...rest] },
        '5550174',
      );
      await publish(
        sys,
        'Queue exits, no limit',
        { start: 'q', components: [component('q', 'queue', { queueId }, exits), ...rest] },
        '5550175',
      );

      // Nobody is a member: the caller does not wait at all.
      const first = await callFlowNumber(defer, sys, '5550174', { caller: '+12025550174' });
      const none = await paths.ended(0);
      expect(paths.pathOf(none.callId)).toEqual(['q:no_agents', 'none:next', 'end']);
      expect(await first.exited, first.output).toBe(0);

      // Bob signed in (not registered, so never rung): the caller waits the component's 1 s.
      const bob = await userId(sys, 'bob');
      await sys.db.insertInto('queue_members').values({ queue_id: queueId, user_id: bob }).execute();
      await sys.deps.queues.reload();
      sys.deps.agents.board.login(bob);
      const second = await callFlowNumber(defer, sys, '5550174', { caller: '+12025550175' });
      const late = await paths.ended(1);
      expect(paths.pathOf(late.callId)).toEqual(['q:max_wait', 'late:next', 'end']);
      expect(await second.exited, second.output).toBe(0);

      // No limit: the caller waits until Bob, the last agent, signs out.
      const third = await callFlowNumber(defer, sys, '5550175', { caller: '+12025550176' });
      await expect.poll(() => sys.deps.queues.waitingCount(queueId), { timeout: 10_000 }).toBe(1);
      sys.deps.agents.logout(bob);
      const left = await paths.ended(2);
      expect(paths.pathOf(left.callId)).toEqual(['q:no_agents', 'none:next', 'end']);
      expect(await third.exited, third.output).toBe(0);
      expect(sys.deps.queues.waitingCount(queueId)).toBe(0);

      // One CDR per call, closed by the flow (the switch hung up after the prompt).
      for (const call of [late, left])
        await expect
          .poll(async () => (await cdrOf(sys, call.callId)).status, { timeout: 10_000 })
          .toBe('closed');
      expect(await cdrOf(sys, late.callId)).toMatchObject({ queue_id: queueId, hangup_side: 'system' });
      await expectNothingLeft(sys);
    });

    it('the Callback component releases the caller, calls back after the delay and goes on at the next component', {
      timeout: 60_000,
    }, async ({ onTestFinished }) => {
      const defer = deferrer(onTestFinished);
      const sys = await startSwitch(defer, {}, kind);
      const paths = recordFlowPaths(defer, sys.deps.flows);
      // The carrier answers the call back and presses 1 in the menu that follows the Callback.
      const carrier = await startCarrier(defer, answeringCarrier(typeDigits('1', 1200)));
      await trunksTo(sys, [carrier]);
      const flowId = await publish(
        sys,
        'Callback',
        {
          start: 'cb',
          components: [
            component(
              'cb',
              'callback',
              { method: 'caller', delayS: 2, timeoutS: 5, callerId: '+18005550102' },
              { next: 'menu' },
            ),
            component(
              'menu',
              'menu',
              { prompts: [{ prompt: 'welcome' }], choices: ['1'], timeoutS: 10, attempts: 1 },
              { 'key:1': 'one', timeout: 'end', invalid: 'end' },
            ),
            play('one', 'digit-1', 'end'),
            hangup(),
          ],
        },
        '5550173',
      );
      const caller = await callFlowNumber(defer, sys, '5550173', {
        caller: '+12025550174',
        expectBusy: true,
      });
      expect(await caller.exited, caller.output).toBe(0);
      // The first call ends at the Callback; the call back is the callback engine's own call.
      const released = await paths.ended(0, 30_000);
      expect(released.end).toMatchObject({ how: 'called_back', componentId: 'cb' });
      const end = await paths.ended(1, 30_000);
      expect(end.end).toEqual({ how: 'hangup', componentId: 'end' });
      expect(paths.pathOf(released.callId)).toEqual(['cb']);
      expect(paths.pathOf(end.callId)).toEqual(['cb:next', 'menu:key:1', 'one:next', 'end']);
      expect(await carrier.exited, carrier.output).toBe(0);
      for (const id of [released.callId, end.callId])
        await expect.poll(async () => (await cdrOf(sys, id)).status, { timeout: 10_000 }).toBe('closed');
      const first = await cdrOf(sys, released.callId);
      const cdr = await cdrOf(sys, end.callId);
      expect(first).toMatchObject({ service: 'flow', disposition: 'busy' });
      expect(cdr).toMatchObject({
        service: 'callback',
        type: 'auto',
        disposition: 'answered',
        status: 'closed',
        caller_number: '+18005550102',
      });
      const legsOf = (callId: number) =>
        sys.db.selectFrom('call_legs').selectAll().where('call_id', '=', callId).orderBy('id').execute();
      const firstLegs = await legsOf(first.id);
      const legs = await legsOf(cdr.id);
      expect(firstLegs.map((l) => [l.role, l.peer, l.disposition])).toEqual([
        ['customer', '+12025550174', 'busy'],
      ]);
      expect(legs.map((l) => [l.role, l.peer, l.disposition])).toEqual([
        ['customer', '+12025550174', 'answered'],
      ]);
      // One log of call backs: the flow's request is there, done, with the call back's CDR.
      await expect
        .poll(
          () =>
            sys.db
              .selectFrom('callback_requests')
              .select(['source', 'flow_id', 'service_id', 'status', 'callback_number', 'call_id'])
              .execute(),
          { timeout: 10_000 },
        )
        .toEqual([
          {
            source: 'flow',
            flow_id: flowId,
            service_id: null,
            status: 'done',
            callback_number: '+12025550174',
            call_id: cdr.id,
          },
        ]);
      // Called back after the delay, not before.
      expect(Number(legs[0]!.started_at) - Number(firstLegs[0]!.ended_at)).toBeGreaterThanOrEqual(1900);
      await expectNothingLeft(sys);
    });

    it('a Callback service component hands the answered caller to the service: released, then called back by the service', {
      timeout: 60_000,
    }, async ({ onTestFinished }) => {
      const defer = deferrer(onTestFinished);
      const sys = await startSwitch(defer, {}, kind);
      const paths = recordFlowPaths(defer, sys.deps.flows);
      // The carrier answers the service's call back and types nothing: the service says goodbye.
      const carrier = await startCarrier(defer, answeringCarrier());
      const [trunkId] = await trunksTo(sys, [carrier]);
      const admin = await loggedInAs(sys, 'admin');
      const service = await admin.post('/api/admin/callback-services', {
        name: 'Flow hand-over',
        method: 'call_caller',
        trunkId,
        callerId: '+18005550166',
        delayS: 1,
        security: 'none',
        subscriberId: await demoSubscriberId(sys),
        announceBalance: false,
        firstDigitTimeoutS: 1,
        maxAttempts: 1,
      });
      expect(service.status, service.text).toBe(201);
      const serviceId = (service.body as { id: number }).id;
      await publish(
        sys,
        'Hand over',
        {
          start: 'greet',
          components: [play('greet', 'welcome', 'svc'), component('svc', 'callback_service', { serviceId })],
        },
        '5550176',
      );
      const caller = await callFlowNumber(defer, sys, '5550176', { caller: '+12025550176' });
      const end = await paths.ended(0);
      expect(end.end).toEqual({ how: 'handed_over', componentId: 'svc', serviceId });
      expect(paths.pathOf(end.callId)).toEqual(['greet:next', 'svc']);
      // Answered by the flow, so released by a BYE rather than refused.
      expect(await caller.exited, caller.output).toBe(0);
      expect(await carrier.exited, carrier.output).toBe(0);
      await expect
        .poll(
          () =>
            sys.db
              .selectFrom('callback_requests')
              .select(['source', 'service_id', 'flow_id', 'status', 'reason', 'callback_number', 'call_id'])
              .executeTakeFirst(),
          { timeout: 15_000 },
        )
        .toMatchObject({
          source: 'call',
          service_id: serviceId,
          flow_id: null,
          status: 'done',
          reason: 'no_destination',
          callback_number: '+12025550176',
        });
      const back = await sys.db
        .selectFrom('calls')
        .selectAll()
        .where('service', '=', 'callback')
        .executeTakeFirstOrThrow();
      expect(back).toMatchObject({ disposition: 'answered', caller_number: '+18005550166' });
      expect(await cdrOf(sys, end.callId)).toMatchObject({ service: 'flow', disposition: 'answered' });
      await expectNothingLeft(sys);
    });

    it('a call keeps the version it started on when the flow is edited and republished meanwhile', {
      timeout: 60_000,
    }, async ({ onTestFinished }) => {
      const defer = deferrer(onTestFinished);
      const sys = await startSwitch(defer, {}, kind);
      const paths = recordFlowPaths(defer, sys.deps.flows);
      const version = (branch: string, prompt: string): FlowDefinition => ({
        start: 'greet',
        components: [
          play('greet', 'welcome', 'menu'),
          component(
            'menu',
            'menu',
            { prompts: [{ prompt: 'please-wait' }], choices: ['1'], timeoutS: 10, attempts: 1 },
            { 'key:1': branch, timeout: 'end', invalid: 'end' },
          ),
          play(branch, prompt, 'end'),
          hangup(),
        ],
      });
      const flowId = await publish(sys, 'Republished', version('old', 'digit-1'), '5550174');
      const first = await callFlowNumber(defer, sys, '5550174', {
        caller: '+12025550175',
        afterAnswer: typeDigits('1', 3000),
      });
      // The first call is in the flow (past its greeting) when version 2 is published.
      await paths.until((a) => a.kind === 'step' && a.componentId === 'greet');
      await publish(sys, 'Republished', version('new', 'digit-2'));
      const old = await paths.ended(0);
      expect(old).toMatchObject({ flowId, version: 1 });
      expect(paths.pathOf(old.callId)).toEqual(['greet:next', 'menu:key:1', 'old:next', 'end']);
      expect(await first.exited, first.output).toBe(0);
      const second = await callFlowNumber(defer, sys, '5550174', {
        caller: '+12025550176',
        afterAnswer: typeDigits('1', 1500),
      });
      const fresh = await paths.ended(1);
      expect(fresh).toMatchObject({ flowId, version: 2 });
      expect(paths.pathOf(fresh.callId)).toEqual(['greet:next', 'menu:key:1', 'new:next', 'end']);
      expect(await second.exited, second.output).toBe(0);
      await expectNothingLeft(sys);
    });

    it("a test call into the draft rings the admin's own extension, and its path and the counters are live", {
      timeout: 60_000,
    }, async ({ onTestFinished }) => {
      const defer = deferrer(onTestFinished);
      const sys = await startSwitch(defer, {}, kind);
      const paths = recordFlowPaths(defer, sys.deps.flows);
      const events = recordEvents(defer, sys);
      // The admin's own phone: extension 1004 (a desk phone) given to the admin for the test.
      const phone = await deskPhone(defer, sys, 'dave');
      const adminId = await userId(sys, 'admin');
      await sys.db.updateTable('extensions').set({ user_id: adminId }).where('number', '=', '1004').execute();
      phone.onInvite = (inc) => void phone.answer(inc);
      const admin = await loggedInAs(sys, 'admin');
      const draft: FlowDefinition = {
        start: 'greet',
        components: [
          play('greet', 'welcome', 'menu'),
          component(
            'menu',
            'menu',
            { prompts: [{ prompt: 'please-wait' }], choices: ['1'], timeoutS: 10, attempts: 1 },
            { 'key:1': 'one', timeout: 'end', invalid: 'end' },
          ),
          play('one', 'digit-1', 'end'),
          hangup(),
        ],
      };
      const created = await admin.post('/api/admin/flows', { name: 'Draft only', definition: draft });
      const flowId = (created.body as { flow: CallFlow }).flow.id;

      // Supervisors may not place one; a draft with problems cannot be tested.
      const sam = await loggedInAs(sys, 'sam');
      expect((await sam.post(`/api/admin/flows/${flowId}/test-call`, {})).status).toBe(403);
      const broken = await admin.post('/api/admin/flows', {
        name: 'Broken draft',
        definition: {
          start: 'p',
          components: [component('p', 'play', { prompts: [{ prompt: 'welcome' }] }, {})],
        },
      });
      const refused = await admin.post(
        `/api/admin/flows/${(broken.body as { flow: CallFlow }).flow.id}/test-call`,
        {},
      );
      expect(refused.status).toBe(422);
      expect(refused.text).toMatch(/next exit leads nowhere/);

      const placed = await admin.post(`/api/admin/flows/${flowId}/test-call`, {});
      expect(placed.status, placed.text).toBe(201);
      const { callId } = placed.body as { callId: string };
      await paths.until((a) => a.kind === 'enter' && a.callId === callId && a.componentId === 'menu');
      // In the menu now: the counters show the call there.
      expect((await admin.get(`/api/admin/flows/${flowId}/live?version=draft`)).body).toMatchObject({
        inComponent: { menu: 1 },
        exitsToday: { 'greet:next': 1 },
      });
      await phone.leg!.sendDigits('1');
      const end = await paths.ended(0);
      expect(end).toMatchObject({
        callId,
        flowId,
        version: null,
        end: { how: 'hangup', componentId: 'end' },
      });
      expect(paths.pathOf(callId)).toEqual(['greet:next', 'menu:key:1', 'one:next', 'end']);
      expect((await admin.get(`/api/admin/flows/${flowId}/live?version=draft`)).body).toMatchObject({
        inComponent: {},
        exitsToday: { 'greet:next': 1, 'menu:key:1': 1, 'one:next': 1 },
      });
      // The editor follows the same steps on the live stream.
      const steps = events.flatMap((e) =>
        e.type === 'flow_step' && e.callId === callId
          ? [`${e.step}:${e.componentId}${e.exit ? `:${e.exit}` : ''}`]
          : [],
      );
      expect(steps).toEqual([
        'enter:greet',
        'exit:greet:next',
        'enter:menu',
        'exit:menu:key:1',
        'enter:one',
        'exit:one:next',
        'enter:end',
        'exit:end',
        'end:end',
      ]);
      await phone.until(() => phone.inDialog.some((r) => r.method === 'BYE'), 5000, 'BYE');
      await expect.poll(async () => (await cdrOf(sys, callId)).status, { timeout: 10_000 }).toBe('closed');
      expect(await cdrOf(sys, callId)).toMatchObject({ service: 'flow_test', disposition: 'answered' });
      await expectNothingLeft(sys);
    });
  });
}
