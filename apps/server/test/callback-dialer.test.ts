// Auto-dialled callback plans end to end: the plan is created through the API, the dialer places
// the call as a call script through a sipp carrier (the customer) and sipp desk phone 1004 (dave,
// the plan's owner), and the plan's attempts, status and CDR say what happened.
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { nextCallingTime } from '../src/dialer/calling-hours';
import { MediaPeer, startDesk } from './call-peers';
import { type Defer, deferrer } from './defer';
import { refusingCarrier, startCarrier, trunksTo } from './script-peers';
import { freeMediaPorts, freePort, startSipp } from './sip-agents';
import { customerHangsUp } from './sipp/uas-scenario';
import { type ApiClient, describeEachDatabase, loggedInAs, type TestSystem } from './test-system';

async function setPolicy(sys: TestSystem, policy: Record<string, unknown>) {
  const value = JSON.stringify({ callingHours: { from: '00:00', to: '00:00' }, ...policy });
  await sys.db
    .insertInto('settings')
    .values({ key: 'callbackDialing', value, updated_at: Date.now() })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: Date.now() }))
    .execute();
}

/** A carrier on a given port (so the trunk stays the same while the customer's behaviour changes). */
async function carrierOn(defer: Defer, scenario: string, port: number, calls = 1) {
  const carrier = await startSipp({
    scenario,
    transport: 'udp',
    port,
    timeoutMs: 40_000,
    args: ['-m', String(calls), '-mi', '127.0.0.1', '-mp', String(await freeMediaPorts()), '-trace_err'],
  });
  defer(() => {
    carrier.kill();
    return carrier.exited;
  });
  return carrier;
}

let seq = 0;
async function planFor(client: ApiClient, body: Record<string, unknown>, number = '+1 202 555 0177') {
  const customer = await client.post('/api/customers', { name: `Callback ${++seq}`, phones: [number] });
  expect(customer.status).toBe(201);
  const c = customer.body.customer as { id: number; phones: { id: number }[] };
  const res = await client.post('/api/callback-plans', {
    customerId: c.id,
    phoneId: c.phones[0]!.id,
    dueAt: new Date().toISOString(),
    ...body,
  });
  expect(res.status).toBe(201);
  return res.body.plan as { id: number; mode: string; queueId: number | null };
}

async function finishedPlan(sys: TestSystem, client: ApiClient, id: number, timeout = 45_000) {
  type PlanView = { status: string; attempts: Array<{ at: number; outcome: string; callId: number | null }> };
  const seen: { plan: PlanView | null } = { plan: null };
  try {
    await expect
      .poll(
        async () => {
          seen.plan = (await client.get(`/api/callback-plans/${id}`)).body.plan;
          return seen.plan!.status;
        },
        { timeout, interval: 200 },
      )
      .toMatch(/^(done|missed)$/);
  } catch (err) {
    // Say where the call stood: which legs rang, answered or ended.
    const legs = await sys.db
      .selectFrom('call_legs')
      .innerJoin('calls', 'calls.id', 'call_legs.call_id')
      .select([
        'calls.id',
        'call_legs.role',
        'call_legs.disposition',
        'call_legs.hangup_cause',
        'call_legs.answered_at',
      ])
      .where('calls.service', '=', 'scheduled_callback')
      .execute();
    const jobs = await sys.db.selectFrom('dialer_jobs').selectAll().where('subject_id', '=', id).execute();
    throw new Error(
      `jobs ${JSON.stringify(jobs)} now ${Date.now()}; plan ${id} still ${seen.plan?.status}; attempts ${JSON.stringify(seen.plan?.attempts)}; legs ${JSON.stringify(legs)}`,
      {
        cause: err,
      },
    );
  }
  return seen.plan!;
}

async function legsOf(sys: TestSystem, callId: number) {
  return sys.db
    .selectFrom('call_legs')
    .select(['role', 'disposition', 'hangup_cause'])
    .where('call_id', '=', callId)
    .orderBy('id')
    .execute();
}

describeEachDatabase('callback dialer', (sys) => {
  it('customer first: the customer answers, hears who is calling back, and is bridged to the owner', {
    timeout: 60_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    await setPolicy(sys(), { ownerRingSeconds: 20 });
    const carrier = await startCarrier(defer, customerHangsUp(8000), { calls: 5 });
    await trunksTo(sys(), [carrier]);
    const media = await MediaPeer.start();
    defer(() => media.close());
    const desk = await startDesk(sys(), 'answer', media.port);
    defer(() => {
      desk.kill();
      return desk.exited;
    });
    const dave = await loggedInAs(sys(), 'dave');
    const plan = await planFor(dave, { mode: 'customer_first' });
    expect(plan.mode).toBe('customer_first');
    const done = await finishedPlan(sys(), dave, plan.id);
    expect(done.status).toBe('done');
    expect(done.attempts).toEqual([
      { at: expect.any(Number), outcome: 'answered', callId: expect.any(Number) },
    ]);
    const call = await sys()
      .db.selectFrom('calls')
      .select(['type', 'service', 'disposition', 'customer_number'])
      .where('id', '=', done.attempts[0]!.callId!)
      .executeTakeFirstOrThrow();
    expect(call).toEqual({
      type: 'auto',
      service: 'scheduled_callback',
      disposition: 'answered',
      customer_number: '+12025550177',
    });
    expect(await legsOf(sys(), done.attempts[0]!.callId!)).toEqual([
      { role: 'customer', disposition: 'answered', hangup_cause: 'normal_clearing' },
      { role: 'agent', disposition: 'answered', hangup_cause: 'normal_clearing' },
    ]);
  });

  it('customer first: the owner does not take it, so the customer waits in the plan’s queue and an idle member answers', {
    timeout: 60_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    await setPolicy(sys(), { ownerRingSeconds: 5 });
    const carrier = await startCarrier(defer, customerHangsUp(6000), { calls: 5 });
    await trunksTo(sys(), [carrier]);
    const media = await MediaPeer.start();
    defer(() => media.close());
    // dave's desk phone answers; carol, the plan's owner, has no phone up.
    const desk = await startDesk(sys(), 'answer', media.port);
    defer(() => {
      desk.kill();
      return desk.exited;
    });
    const dave = await loggedInAs(sys(), 'dave');
    expect((await dave.put('/api/agents/me/state', { status: 'idle' })).status).toBe(200);
    const daveId = (await dave.get('/api/auth/me')).body.user.id as number;
    const carolId = (await (await loggedInAs(sys(), 'carol')).get('/api/auth/me')).body.user.id as number;
    const support = await sys()
      .db.selectFrom('queues')
      .select('id')
      .where('name', '=', 'support')
      .executeTakeFirstOrThrow();
    const joined: Array<{ position: number | null }> = [];
    const off = sys().deps.events.subscribe({ userId: 0, role: 'supervisor' }, (e) => {
      if (e.event.type === 'queue_waiting' && e.event.change === 'joined' && e.event.queueId === support.id)
        joined.push({ position: e.event.position });
    });
    defer(off);
    const sam = await loggedInAs(sys(), 'sam');
    const plan = await planFor(sam, { mode: 'customer_first', ownerUserId: carolId, queueId: support.id });
    const done = await finishedPlan(sys(), sam, plan.id);
    expect(done.status).toBe('done');
    expect(done.attempts.map((a) => a.outcome)).toEqual(['answered']);
    const callId = done.attempts[0]!.callId!;
    await expect
      .poll(
        async () =>
          sys()
            .db.selectFrom('calls')
            .select(['queue_id', 'agent_user_id', 'status'])
            .where('id', '=', callId)
            .executeTakeFirstOrThrow(),
        { timeout: 20_000 },
      )
      .toEqual({ queue_id: support.id, agent_user_id: daveId, status: 'closed' });
    // The owner's leg failed (no phone), then the customer went to the head of the queue.
    const legs = await legsOf(sys(), callId);
    expect(legs[0]).toEqual({ role: 'customer', disposition: 'answered', hangup_cause: 'normal_clearing' });
    expect(legs[1]).toMatchObject({ role: 'agent' });
    expect(legs[1]!.disposition).not.toBe('answered');
    expect(joined).toEqual([{ position: 1 }]);
  });

  it('agent first: the owner answers, the customer is dialled and bridged', { timeout: 60_000 }, async ({
    onTestFinished,
  }) => {
    const defer = deferrer(onTestFinished);
    await setPolicy(sys(), {});
    const carrier = await startCarrier(defer, customerHangsUp(3000), { calls: 5 });
    await trunksTo(sys(), [carrier]);
    const media = await MediaPeer.start();
    defer(() => media.close());
    const desk = await startDesk(sys(), 'answer', media.port);
    defer(() => {
      desk.kill();
      return desk.exited;
    });
    const dave = await loggedInAs(sys(), 'dave');
    const daveId = (await dave.get('/api/auth/me')).body.user.id as number;
    // The screen pop: while dave's phone rings, his desk is told which plan and call, with the note.
    const pops: Array<{ planId: number; callId?: string; note?: string | null; lookup: unknown }> = [];
    const popped = new Promise<void>((resolve) => {
      const off = sys().deps.events.subscribe({ userId: daveId, role: 'agent' }, (e) => {
        if (e.event.type !== 'callback_plan' || e.event.status !== 'calling') return;
        off();
        const { planId, callId, note } = e.event;
        // The desk opens the customer window of the ringing call: dave may look its customer up.
        void dave.get(`/api/customers/lookup?callId=${callId}`).then((res) => {
          pops.push({ planId, callId, note, lookup: res.body });
          resolve();
        });
      });
    });
    const plan = await planFor(dave, { mode: 'agent_first', note: 'Wants the renewal quote' });
    await popped;
    const done = await finishedPlan(sys(), dave, plan.id);
    expect(done.status).toBe('done');
    expect(done.attempts.map((a) => a.outcome)).toEqual(['answered']);
    const call = await sys()
      .db.selectFrom('calls')
      .select(['call_uuid', 'customer_id', 'agent_user_id'])
      .where('id', '=', done.attempts[0]!.callId!)
      .executeTakeFirstOrThrow();
    const customerId = (await dave.get(`/api/callback-plans/${plan.id}`)).body.plan.customer.id;
    expect(call).toEqual({ call_uuid: pops[0]!.callId, customer_id: customerId, agent_user_id: daveId });
    expect(pops).toEqual([
      {
        planId: plan.id,
        callId: call.call_uuid,
        note: 'Wants the renewal quote',
        lookup: expect.objectContaining({
          customers: expect.arrayContaining([expect.objectContaining({ id: customerId })]),
        }),
      },
    ]);
    expect(await legsOf(sys(), done.attempts[0]!.callId!)).toEqual([
      { role: 'agent', disposition: 'answered', hangup_cause: 'normal_clearing' },
      { role: 'customer', disposition: 'answered', hangup_cause: 'normal_clearing' },
    ]);
  });

  it('retries a busy customer at the policy’s spacing, then marks the plan missed after the last attempt', {
    timeout: 60_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    await setPolicy(sys(), { maxAttempts: 2, retryDelaySeconds: { busy: 2 } });
    const carrier = await startCarrier(defer, refusingCarrier('486 Busy Here'), { calls: 10 });
    await trunksTo(sys(), [carrier]);
    const dave = await loggedInAs(sys(), 'dave');
    const plan = await planFor(dave, { mode: 'customer_first' });
    const done = await finishedPlan(sys(), dave, plan.id);
    expect(done.status).toBe('missed');
    expect(done.attempts.map((a) => a.outcome)).toEqual(['busy', 'busy']);
    expect(done.attempts[1]!.at - done.attempts[0]!.at).toBeGreaterThanOrEqual(2000);
    const row = await sys()
      .db.selectFrom('callback_plans')
      .select(['attempts', 'last_attempt_at'])
      .where('id', '=', plan.id)
      .executeTakeFirstOrThrow();
    expect(row.attempts).toBe(2);
  });

  it('retries an unanswered customer and connects on the next attempt', { timeout: 60_000 }, async ({
    onTestFinished,
  }) => {
    const defer = deferrer(onTestFinished);
    await setPolicy(sys(), { maxAttempts: 3, retryDelaySeconds: { no_answer: 3 }, ringSeconds: 5 });
    // One carrier port: the customer lets it ring the first time, answers the second.
    const port = await freePort();
    const ringing = await carrierOn(defer, refusingCarrier('ring'), port);
    await trunksTo(sys(), [{ port }]);
    const media = await MediaPeer.start();
    defer(() => media.close());
    const desk = await startDesk(sys(), 'answer', media.port);
    defer(() => {
      desk.kill();
      return desk.exited;
    });
    const dave = await loggedInAs(sys(), 'dave');
    const plan = await planFor(dave, { mode: 'customer_first' });
    await expect
      .poll(async () => (await dave.get(`/api/callback-plans/${plan.id}`)).body.plan.attempts.length, {
        timeout: 20_000,
      })
      .toBe(1);
    await ringing.exited;
    // A late retransmission of the first call's messages may reach it first: room for it.
    await carrierOn(defer, customerHangsUp(1000), port, 3);
    const done = await finishedPlan(sys(), dave, plan.id);
    expect(done.attempts.map((a) => a.outcome)).toEqual(['no_answer', 'answered']);
    expect(done.status).toBe('done');
  });

  it('never dials a number on the do-not-call list', { timeout: 30_000 }, async () => {
    await setPolicy(sys(), {});
    const admin = await loggedInAs(sys(), 'admin');
    const added = await admin.post('/api/do-not-call', { number: '+1 202 555 0199', reason: 'asked' });
    expect(added.status).toBe(201);
    const dave = await loggedInAs(sys(), 'dave');
    const before = await sys()
      .db.selectFrom('calls')
      .select('id')
      .where('service', '=', 'scheduled_callback')
      .execute();
    const plan = await planFor(dave, { mode: 'agent_first' }, '+1 202 555 0199');
    const done = await finishedPlan(sys(), dave, plan.id);
    expect(done.status).toBe('missed');
    // The plan is closed in the transaction that records the attempt: the same read shows both.
    expect(done.attempts).toEqual([{ at: expect.any(Number), outcome: 'do_not_call', callId: null }]);
    const after = await sys()
      .db.selectFrom('calls')
      .select('id')
      .where('service', '=', 'scheduled_callback')
      .execute();
    expect(after).toEqual(before);
  });

  it('waits for calling hours in the customer’s zone instead of dialling', { timeout: 30_000 }, async () => {
    // A one-hour window that starts two hours from now in London.
    const londonHour = Number(
      new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/London',
        hour: '2-digit',
        hourCycle: 'h23',
      }).format(Date.now()),
    );
    const from = `${String((londonHour + 2) % 24).padStart(2, '0')}:00`;
    const to = `${String((londonHour + 3) % 24).padStart(2, '0')}:00`;
    await setPolicy(sys(), { callingHours: { from, to } });
    const dave = await loggedInAs(sys(), 'dave');
    const plan = await planFor(dave, { mode: 'customer_first' }, '+44 20 7946 0958');
    const created = Date.now();
    await expect
      .poll(
        async () =>
          (
            await sys()
              .db.selectFrom('dialer_jobs')
              .select(['due_at', 'status'])
              .where('kind', '=', 'callback_plan')
              .where('subject_id', '=', plan.id)
              .where('status', '=', 'pending')
              .executeTakeFirst()
          )?.due_at ?? 0,
        { timeout: 15_000 },
      )
      .toBeGreaterThan(created + 60 * 60_000);
    const job = await sys()
      .db.selectFrom('dialer_jobs')
      .select('due_at')
      .where('subject_id', '=', plan.id)
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    expect(job.due_at).toBe(nextCallingTime('+442079460958', { from, to }, job.due_at));
    const view = (await dave.get(`/api/callback-plans/${plan.id}`)).body.plan;
    expect(view.attempts).toEqual([]);
    expect(['scheduled', 'due']).toContain(view.status);
  });

  it('reads calling hours in the customer record’s own time zone before the number’s country', {
    timeout: 30_000,
  }, async () => {
    // Open now in London (the number's country), closed now in Tokyo (where the customer lives).
    const londonHour = Number(
      new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/London',
        hour: '2-digit',
        hourCycle: 'h23',
      }).format(Date.now()),
    );
    const from = `${String(londonHour).padStart(2, '0')}:00`;
    const to = `${String((londonHour + 1) % 24).padStart(2, '0')}:00`;
    await setPolicy(sys(), { callingHours: { from, to } });
    const dave = await loggedInAs(sys(), 'dave');
    const bad = await dave.post('/api/customers', {
      name: 'Nowhere',
      phones: ['+44 20 7946 0959'],
      timeZone: 'Mars/Olympus',
    });
    expect(bad.status).toBe(400);
    const customer = await dave.post('/api/customers', {
      name: 'Tokyo Customer',
      phones: ['+44 20 7946 0959'],
      timeZone: 'Asia/Tokyo',
    });
    expect(customer.status).toBe(201);
    const c = customer.body.customer as { id: number; timeZone: string; phones: { id: number }[] };
    expect(c.timeZone).toBe('Asia/Tokyo');
    const created = Date.now();
    const res = await dave.post('/api/callback-plans', {
      customerId: c.id,
      phoneId: c.phones[0]!.id,
      dueAt: new Date(created).toISOString(),
      mode: 'customer_first',
    });
    expect(res.status).toBe(201);
    const planId = res.body.plan.id as number;
    const pending = () =>
      sys()
        .db.selectFrom('dialer_jobs')
        .select('due_at')
        .where('kind', '=', 'callback_plan')
        .where('subject_id', '=', planId)
        .where('status', '=', 'pending')
        .executeTakeFirst();
    // Tokyo is nine hours ahead: the dial waits for the window there.
    await expect
      .poll(async () => (await pending())?.due_at ?? 0, { timeout: 15_000 })
      .toBeGreaterThan(created + 60 * 60_000);
    const job = await pending();
    expect(job!.due_at).toBe(nextCallingTime('+442079460959', { from, to }, job!.due_at, 'Asia/Tokyo'));
    expect((await dave.get(`/api/callback-plans/${planId}`)).body.plan.attempts).toEqual([]);
  });

  it('shows the customer the caller ID of the plan’s queue, else the policy’s', { timeout: 60_000 }, async ({
    onTestFinished,
  }) => {
    const defer = deferrer(onTestFinished);
    await setPolicy(sys(), { maxAttempts: 1, callerId: '+12025550100' });
    const messageFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'sb-callback-cid-')), 'carrier.log');
    const carrier = await startCarrier(defer, refusingCarrier('486 Busy Here'), { calls: 10, messageFile });
    await trunksTo(sys(), [carrier]);
    const admin = await loggedInAs(sys(), 'admin');
    const queue = await sys()
      .db.selectFrom('queues')
      .select('id')
      .where('name', '=', 'support')
      .executeTakeFirstOrThrow();
    expect((await admin.patch(`/api/admin/queues/${queue.id}`, { callerId: 'not a number' })).status).toBe(
      400,
    );
    expect((await admin.patch(`/api/admin/queues/${queue.id}`, { callerId: '+12025550111' })).status).toBe(
      200,
    );
    defer(() => admin.patch(`/api/admin/queues/${queue.id}`, { callerId: null }).then(() => {}));
    const dave = await loggedInAs(sys(), 'dave');
    const viaQueue = await planFor(dave, { mode: 'customer_first', queueId: queue.id }, '+1 202 555 0181');
    expect((await finishedPlan(sys(), dave, viaQueue.id)).attempts.map((a) => a.outcome)).toEqual(['busy']);
    const plain = await planFor(dave, { mode: 'customer_first' }, '+1 202 555 0182');
    expect((await finishedPlan(sys(), dave, plain.id)).attempts.map((a) => a.outcome)).toEqual(['busy']);
    const invites = readFileSync(messageFile, 'utf8')
      .split(/\n(?=INVITE sip:)/)
      .filter((m) => m.startsWith('INVITE sip:'));
    expect(invites).toHaveLength(2);
    expect(invites[0]).toMatch(/^INVITE sip:\+12025550181/);
    expect(invites[0]).toMatch(/From:[^\n]*\+12025550111/);
    expect(invites[1]).toMatch(/^INVITE sip:\+12025550182/);
    expect(invites[1]).toMatch(/From:[^\n]*\+12025550100/);
  });

  it('takes mode and queue on create and change, and refuses bad ones without changing the plan', async () => {
    const dave = await loggedInAs(sys(), 'dave');
    const bad = await dave.post('/api/callback-plans', {
      customerId: 1,
      phoneId: 1,
      dueAt: new Date(Date.now() + 3_600_000).toISOString(),
      mode: 'robocall',
    });
    expect(bad.status).toBe(400);
    const plan = await planFor(dave, {
      dueAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(plan).toMatchObject({ mode: 'remind', queueId: null });
    const noQueue = await dave.patch(`/api/callback-plans/${plan.id}`, { queueId: 999_999 });
    expect(noQueue.status).toBe(400);
    const queue = await sys().db.selectFrom('queues').select('id').executeTakeFirstOrThrow();
    const changed = await dave.patch(`/api/callback-plans/${plan.id}`, {
      mode: 'customer_first',
      queueId: queue.id,
    });
    expect(changed.status).toBe(200);
    expect(changed.body.plan).toMatchObject({ mode: 'customer_first', queueId: queue.id });
    const jobs = await sys()
      .db.selectFrom('dialer_jobs')
      .select(['status'])
      .where('kind', '=', 'callback_plan')
      .where('subject_id', '=', plan.id)
      .execute();
    expect(jobs).toEqual([{ status: 'pending' }]);
    // back to a reminder: the pending dial is cancelled
    await dave.patch(`/api/callback-plans/${plan.id}`, { mode: 'remind' });
    const after = await sys()
      .db.selectFrom('dialer_jobs')
      .select(['status'])
      .where('kind', '=', 'callback_plan')
      .where('subject_id', '=', plan.id)
      .execute();
    expect(after.map((j) => j.status)).toEqual(['cancelled']);
  });
});
