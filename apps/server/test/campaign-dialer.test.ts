// Campaigns dialling end to end: dial tasks grouped into a campaign through the API, sipp as the
// carrier (the customers: most answer and hang up after a moment, one number is busy) and sipp desk
// phone 1004 (dave, who joined the campaign). The tasks, the dial tasks' results and the CDRs say
// what happened.
import { expect, it } from 'vitest';
import { MediaPeer, startDesk } from './call-peers';
import { deferrer } from './defer';
import { createDialTask } from './dial-task-fixtures';
import { startCarrier, trunksTo } from './script-peers';
import { customerHangsUp } from './sipp/uas-scenario';
import { type ApiClient, describeEachDatabase, loggedInAs, type TestSystem, userId } from './test-system';

let seq = 0;
const task = (sup: ApiClient, assignee: number, number: string) =>
  createDialTask(sup, assignee, number, `campaign task ${++seq}`);

async function campaignTasks(sup: ApiClient, id: number) {
  const res = await sup.get(`/api/campaigns/${id}/tasks`);
  expect(res.status, res.text).toBe(200);
  return res.body.tasks as Array<{
    id: number;
    status: string;
    attempts: number;
    outcome: string | null;
    result: string;
  }>;
}

async function campaignCalls(sys: TestSystem, numbers: string[]) {
  return sys.db
    .selectFrom('calls')
    .select(['id', 'customer_number', 'agent_user_id', 'disposition', 'started_at', 'ended_at', 'type'])
    .where('service', '=', 'campaign')
    .where('customer_number', 'in', numbers)
    .orderBy('id')
    .execute();
}

describeEachDatabase('campaign dialling', (sys) => {
  it('progressive: dials the next task whenever the joined agent is idle, one call at a time, retries the busy one and skips do-not-call', {
    timeout: 90_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    // Customers A and C answer; B is busy both times it is tried; D is on the do-not-call list.
    const carrier = await startCarrier(defer, customerHangsUp(800, 'sip:\\+?12025550166'), {
      // Room for the trunk's OPTIONS probes, which sipp counts as calls too.
      calls: 10,
      timeoutMs: 60_000,
    });
    await trunksTo(sys(), [carrier]);
    const media = await MediaPeer.start();
    defer(() => media.close());
    const desk = await startDesk(sys(), 'answer', media.port, 2);
    defer(() => {
      desk.kill();
      return desk.exited;
    });
    const sam = await loggedInAs(sys(), 'sam');
    const admin = await loggedInAs(sys(), 'admin');
    expect(
      (await admin.post('/api/do-not-call', { number: '+1 202 555 0199', reason: 'asked' })).status,
    ).toBe(201);
    const daveId = await userId(sys(), 'dave');
    const ids = [
      await task(sam, daveId, '+1 202 555 0155'),
      await task(sam, daveId, '+1 202 555 0166'),
      await task(sam, daveId, '+1 202 555 0177'),
      await task(sam, daveId, '+1 202 555 0199'),
    ];
    const created = await sam.post('/api/campaigns', {
      name: 'Renewals',
      mode: 'progressive',
      agentIds: [daveId],
      maxAttempts: 2,
      retryDelaySeconds: { busy: 1 },
      callingHours: { from: '00:00', to: '00:00' },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.body.campaign.id as number;
    expect((await sam.post(`/api/campaigns/${id}/tasks`, { taskIds: ids })).status).toBe(201);
    const dave = await loggedInAs(sys(), 'dave');
    expect((await dave.put(`/api/campaigns/${id}/agents/me`)).status).toBe(200);
    // The supervisor's live figures: the last one says the campaign finished with nothing left.
    const figures: Array<{ state: string; remaining: number }> = [];
    const finished = new Promise<void>((resolve) => {
      const off = sys().deps.events.subscribe({ userId: 0, role: 'supervisor' }, (e) => {
        if (e.event.type !== 'campaign' || e.event.campaignId !== id) return;
        figures.push({ state: e.event.state, remaining: e.event.stats.remaining });
        if (e.event.state === 'finished') {
          off();
          resolve();
        }
      });
      defer(off);
    });
    // Dave's desk learns whose call the dialer rings him for, and sets the first one's result while
    // it is up: it stands over the dial's own "reached".
    const rungFor: Array<{ taskId: number; campaignName: string; number: string | null }> = [];
    const daveEvents = sys().deps.events.subscribe({ userId: daveId, role: 'agent' }, (e) => {
      if (e.event.type !== 'campaign_call' || e.event.campaignId !== id) return;
      rungFor.push({ taskId: e.event.taskId, campaignName: e.event.campaignName, number: e.event.number });
      if (e.event.taskId === ids[0])
        void dave.post(`/api/campaigns/${id}/tasks/${ids[0]}/result`, { result: 'callback_requested' });
    });
    defer(daveEvents);
    const started = await sam.post(`/api/campaigns/${id}/start`);
    expect(started.status, started.text).toBe(200);
    await finished;
    expect(rungFor).toEqual([
      { taskId: ids[0], campaignName: 'Renewals', number: '+12025550155' },
      { taskId: ids[2], campaignName: 'Renewals', number: '+12025550177' },
    ]);

    const tasks = await campaignTasks(sam, id);
    const byId = new Map(tasks.map((t) => [t.id, t]));
    expect(byId.get(ids[0]!)).toMatchObject({
      status: 'done',
      attempts: 1,
      outcome: 'answered',
      result: 'callback_requested',
    });
    expect(byId.get(ids[1]!)).toMatchObject({
      status: 'closed',
      attempts: 2,
      outcome: 'busy',
      result: 'busy',
    });
    expect(byId.get(ids[2]!)).toMatchObject({
      status: 'done',
      attempts: 1,
      outcome: 'answered',
      result: 'reached',
    });
    expect(byId.get(ids[3]!)).toMatchObject({ status: 'closed', attempts: 0, outcome: 'do_not_call' });
    const dialTask = await sam.get(`/api/dial-tasks/${ids[1]}`);
    expect(dialTask.body.task).toMatchObject({ result: 'busy', attempts: 2 });

    const calls = await campaignCalls(sys(), [
      '+12025550155',
      '+12025550166',
      '+12025550177',
      '+12025550199',
    ]);
    // Never the do-not-call number; A, B twice, C; each an Auto Dialed call on dave.
    expect(calls.map((c) => c.customer_number).sort()).toEqual([
      '+12025550155',
      '+12025550166',
      '+12025550166',
      '+12025550177',
    ]);
    expect(calls.every((c) => c.type === 'auto' && c.agent_user_id === daveId)).toBe(true);
    // One call per agent: each call ended before the next one started.
    const ordered = [...calls].sort((a, b) => a.started_at - b.started_at);
    for (let i = 1; i < ordered.length; i++) {
      expect(ordered[i]!.started_at).toBeGreaterThanOrEqual(ordered[i - 1]!.ended_at!);
    }
    const campaign = (await sam.get(`/api/campaigns/${id}`)).body.campaign;
    expect(campaign).toMatchObject({
      state: 'finished',
      stats: { dialled: 4, answered: 2, abandoned: 0, remaining: 0, agents: 1 },
    });
    expect(figures.at(-1)).toEqual({ state: 'finished', remaining: 0 });
    // The last hour's chart: the same dials, in twelve five-minute buckets ending with this one.
    const lastHour = await sam.get(`/api/campaigns/${id}/last-hour`);
    expect(lastHour.status, lastHour.text).toBe(200);
    const buckets = lastHour.body.buckets as Array<{
      start: number;
      dialled: number;
      answered: number;
      abandoned: number;
    }>;
    expect(lastHour.body.bucketMinutes).toBe(5);
    expect(buckets).toHaveLength(12);
    expect(buckets.every((b, i) => i === 0 || b.start - buckets[i - 1]!.start === 300_000)).toBe(true);
    expect(Date.now() - buckets.at(-1)!.start).toBeLessThan(300_000);
    const sum = (k: 'dialled' | 'answered' | 'abandoned') => buckets.reduce((n, b) => n + b[k], 0);
    expect([sum('dialled'), sum('answered'), sum('abandoned')]).toEqual([4, 2, 0]);
    expect((await dave.get(`/api/campaigns/${id}/last-hour`)).status).toBe(403);
    // The agent is free again for queue calls once the campaign is done with them.
    expect(sys().deps.agents.board.get(daveId)?.reservedFor).toBeNull();
  });

  it('preview: the joined agent takes the next task, presses Call, their phone rings first and the customer is bridged', {
    timeout: 60_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const carrier = await startCarrier(defer, customerHangsUp(800), { calls: 5 });
    await trunksTo(sys(), [carrier]);
    const media = await MediaPeer.start();
    defer(() => media.close());
    const desk = await startDesk(sys(), 'answer', media.port, 1);
    defer(() => {
      desk.kill();
      return desk.exited;
    });
    const sam = await loggedInAs(sys(), 'sam');
    const daveId = await userId(sys(), 'dave');
    const taskId = await task(sam, daveId, '+1 202 555 0188');
    const support = await sys()
      .db.selectFrom('queues')
      .select('id')
      .where('name', '=', 'support')
      .executeTakeFirstOrThrow();
    const created = await sam.post('/api/campaigns', {
      name: 'Survey',
      mode: 'preview',
      queueId: support.id,
      callingHours: { from: '00:00', to: '00:00' },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.body.campaign.id as number;
    expect((await sam.post(`/api/campaigns/${id}/tasks`, { taskIds: [taskId] })).status).toBe(201);
    expect((await sam.post(`/api/campaigns/${id}/start`)).status).toBe(200);
    const dave = await loggedInAs(sys(), 'dave');
    // Not joined yet: no task for dave.
    expect((await dave.get(`/api/campaigns/${id}/next`)).status).toBe(409);
    expect((await dave.put(`/api/campaigns/${id}/agents/me`)).status).toBe(200);
    const next = await dave.get(`/api/campaigns/${id}/next`);
    expect(next.status, next.text).toBe(200);
    expect(next.body.task).toMatchObject({ id: taskId, status: 'reserved', agent: { id: daveId } });
    // Reserved to dave: carol, also of the support queue, is not given it.
    const carol = await loggedInAs(sys(), 'carol');
    expect((await carol.put(`/api/campaigns/${id}/agents/me`)).status).toBe(200);
    expect((await carol.get(`/api/campaigns/${id}/next`)).body.task).toBeNull();
    expect((await carol.post(`/api/campaigns/${id}/tasks/${taskId}/call`)).status).toBe(409);

    const call = await dave.post(`/api/campaigns/${id}/tasks/${taskId}/call`);
    expect(call.status, call.text).toBe(202);
    await expect
      .poll(async () => (await campaignTasks(sam, id))[0]?.status, { timeout: 30_000, interval: 200 })
      .toBe('done');
    const [row] = await campaignCalls(sys(), ['+12025550188']);
    expect(row).toMatchObject({
      customer_number: '+12025550188',
      agent_user_id: daveId,
      disposition: 'answered',
    });
    const legs = await sys()
      .db.selectFrom('call_legs')
      .select(['role', 'disposition'])
      .where('call_id', '=', row!.id)
      .orderBy('id')
      .execute();
    // Agent first: dave's leg, then the customer's.
    expect(legs).toEqual([
      { role: 'agent', disposition: 'answered' },
      { role: 'customer', disposition: 'answered' },
    ]);
    // The call bar: dave corrects the result; carol, who did not have the call, may not.
    expect(
      (await carol.post(`/api/campaigns/${id}/tasks/${taskId}/result`, { result: 'wrong_number' })).status,
    ).toBe(403);
    const corrected = await dave.post(`/api/campaigns/${id}/tasks/${taskId}/result`, {
      result: 'callback_requested',
    });
    expect(corrected.status, corrected.text).toBe(200);
    expect(corrected.body.task.result).toBe('callback_requested');
  });
});
