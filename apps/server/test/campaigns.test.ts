// The campaigns API: supervisors create campaigns from dial tasks, start and pause them; agents see
// the ones they may work, join and leave them, and take preview tasks. Bad input changes nothing.
import { expect, it } from 'vitest';
import { createDialTask } from './dial-task-fixtures';
import { describeEachDatabase, loggedInAs, type TestSystem, userId } from './test-system';

const task = createDialTask;

async function campaignCount(sys: TestSystem): Promise<number> {
  const r = await sys.db
    .selectFrom('campaigns')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** `HH:00` a number of hours from now in London. */
function londonHour(offset: number): string {
  const hour = Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', hourCycle: 'h23' }).format(
      Date.now(),
    ),
  );
  return `${String((hour + offset) % 24).padStart(2, '0')}:00`;
}

describeEachDatabase('campaigns API', (sys) => {
  it('creates a campaign for supervisors only, and refuses bad input without creating anything', async () => {
    const sam = await loggedInAs(sys(), 'sam');
    const alice = await loggedInAs(sys(), 'alice');
    const before = await campaignCount(sys());
    const bad = [
      { name: 'x', mode: 'turbo', agentIds: [1] },
      { name: 'Cap too high', mode: 'predictive', agentIds: [1], abandonCapPercent: 60 },
      { name: 'Bad message', mode: 'predictive', agentIds: [1], abandonPrompt: '../etc/passwd' },
      { name: 'No agents', mode: 'preview' },
      { name: '', mode: 'preview', agentIds: [1] },
      { name: 'Bad caller ID', mode: 'preview', agentIds: [1], callerId: 'call me' },
      { name: 'Bad hours', mode: 'preview', agentIds: [1], callingHours: { from: '25:00', to: '10:00' } },
      { name: 'Bad retry', mode: 'preview', agentIds: [1], retryDelaySeconds: { busy: 0 } },
      { name: 'Unknown field', mode: 'preview', agentIds: [1], pace: 3 },
    ];
    for (const body of bad) {
      const res = await sam.post('/api/campaigns', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message).toEqual(expect.any(String));
    }
    expect(
      (await sam.post('/api/campaigns', { name: 'Ghosts', mode: 'preview', agentIds: [999_999] })).status,
    ).toBe(400);
    expect(
      (await sam.post('/api/campaigns', { name: 'No queue', mode: 'preview', queueId: 999_999 })).status,
    ).toBe(400);
    expect(
      (await alice.post('/api/campaigns', { name: 'Mine', mode: 'preview', agentIds: [1] })).status,
    ).toBe(403);
    // A path id that is not a number is named plainly.
    const notAnId = await sam.patch('/api/campaigns/first', { name: 'Renamed' });
    expect(notAnId.status).toBe(400);
    expect(notAnId.body.error.message).toBe('id: id must be a whole number');
    expect(await campaignCount(sys())).toBe(before);

    const aliceId = await userId(sys(), 'alice');
    const created = await sam.post('/api/campaigns', {
      name: 'Winter offers',
      mode: 'progressive',
      agentIds: [aliceId],
      callerId: '+12025550100',
      maxAttempts: 4,
      retryDelaySeconds: { busy: 60 },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body.campaign).toMatchObject({
      name: 'Winter offers',
      mode: 'progressive',
      state: 'draft',
      queue: null,
      agents: [{ id: aliceId, displayName: 'Alice', joined: false }],
      callerId: '+12025550100',
      maxAttempts: 4,
      retryDelaySeconds: { busy: 60, no_answer: 900, failed: 900, abandoned: 300 },
      callingHours: null,
      stats: { dialled: 0, answered: 0, abandoned: 0, remaining: 0, agents: 0 },
      joined: false,
    });
  });

  it('adds dial tasks all or none, once, and starts and pauses only what can be', async () => {
    const sam = await loggedInAs(sys(), 'sam');
    const bobId = await userId(sys(), 'bob');
    const make = (name: string) => sam.post('/api/campaigns', { name, mode: 'preview', agentIds: [bobId] });
    const first = (await make('First')).body.campaign.id as number;
    const second = (await make('Second')).body.campaign.id as number;
    // Nothing to dial yet.
    expect((await sam.post(`/api/campaigns/${first}/start`)).status).toBe(409);
    const t1 = await task(sam, bobId, '+1 202 555 0101');
    const t2 = await task(sam, bobId, '+1 202 555 0102');
    const unknown = await sam.post(`/api/campaigns/${first}/tasks`, { taskIds: [t1, 999_999] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/999999/);
    expect((await sam.post(`/api/campaigns/${first}/tasks`, { taskIds: [] })).status).toBe(400);
    expect((await sam.get(`/api/campaigns/${first}/tasks`)).body.total).toBe(0);
    const added = await sam.post(`/api/campaigns/${first}/tasks`, { taskIds: [t1, t2] });
    expect(added.status, added.text).toBe(201);
    expect(added.body).toMatchObject({ added: 2, campaign: { stats: { remaining: 2 } } });
    // A task is in one campaign at a time.
    const again = await sam.post(`/api/campaigns/${second}/tasks`, { taskIds: [t2] });
    expect(again.status).toBe(409);
    expect((await sam.get(`/api/campaigns/${second}/tasks`)).body.total).toBe(0);
    const bob = await loggedInAs(sys(), 'bob');
    expect((await bob.post(`/api/campaigns/${first}/tasks`, { taskIds: [t1] })).status).toBe(403);
    expect((await bob.post(`/api/campaigns/${first}/start`)).status).toBe(403);

    expect((await sam.post(`/api/campaigns/${first}/pause`)).status).toBe(409);
    const started = await sam.post(`/api/campaigns/${first}/start`);
    expect(started.status).toBe(200);
    expect(started.body.campaign.state).toBe('running');
    expect((await sam.post(`/api/campaigns/${first}/start`)).status).toBe(409);
    const paused = await sam.post(`/api/campaigns/${first}/pause`);
    expect(paused.body.campaign.state).toBe('paused');
    // A deleted dial task leaves its campaign.
    expect((await sam.delete(`/api/dial-tasks/${t2}`)).status).toBe(204);
    expect((await sam.get(`/api/campaigns/${first}`)).body.campaign.stats.remaining).toBe(1);
  });

  it('takes its tasks from a CRM search: one per customer found on their first number, all or none', async () => {
    const sam = await loggedInAs(sys(), 'sam');
    const bobId = await userId(sys(), 'bob');
    const tag = `Src${Date.now().toString(36)}`;
    const customer = async (name: string, phones: string[]) => {
      const res = await sam.post('/api/customers', { name, phones });
      expect(res.status, res.text).toBe(201);
      return res.body.customer.id as number;
    };
    const ann = await customer(`${tag} Ann`, ['+1 202 555 0131', '+1 202 555 0132']);
    const ben = await customer(`${tag} Ben`, ['+1 202 555 0133']);
    await customer(`Other ${Date.now()}`, ['+1 202 555 0134']);
    const id = (
      await sam.post('/api/campaigns', { name: `${tag} campaign`, mode: 'preview', agentIds: [bobId] })
    ).body.campaign.id as number;
    const url = `/api/campaigns/${id}/tasks/from-customers`;
    const fieldOf = (res: { body: { error: { details?: { fields?: { field: string }[] } } } }) =>
      res.body.error.details?.fields?.map((f) => f.field);
    // Bad input changes nothing.
    for (const [body, field] of [
      [{ q: '', assignedUserId: bobId }, 'q'],
      [{ q: tag, assignedUserId: 999_999 }, 'assignedUserId'],
      [{ q: tag, assignedUserId: bobId, days: 0 }, 'days'],
      [{ q: 'no customer is called this', assignedUserId: bobId }, 'q'],
    ] as const) {
      const res = await sam.post(url, body);
      expect(res.status, res.text).toBe(400);
      expect(fieldOf(res)).toEqual([field]);
    }
    expect((await sam.get(`/api/campaigns/${id}/tasks`)).body.total).toBe(0);
    const bob = await loggedInAs(sys(), 'bob');
    expect((await bob.post(url, { q: tag, assignedUserId: bobId })).status).toBe(403);

    const added = await sam.post(url, { q: tag, assignedUserId: bobId, days: 7, note: 'Spring offer' });
    expect(added.status, added.text).toBe(201);
    expect(added.body).toMatchObject({ added: 2, withoutNumber: 0, campaign: { stats: { remaining: 2 } } });
    const tasks = (await sam.get(`/api/campaigns/${id}/tasks`)).body.tasks as Array<{
      id: number;
      customer: { id: number } | null;
      number: string;
      note: string;
    }>;
    expect(tasks.map((t) => [t.customer?.id, t.number, t.note]).sort()).toEqual(
      [
        [ann, '+12025550131', 'Spring offer'],
        [ben, '+12025550133', 'Spring offer'],
      ].sort(),
    );
    const dialTask = (await sam.get(`/api/dial-tasks/${tasks[0]!.id}`)).body.task;
    expect(dialTask.assignee.id).toBe(bobId);
    expect(dialTask.endAt - dialTask.startAt).toBe(7 * 86_400_000);
  });

  it('shows agents the campaigns they may work, lets them join and leave, and tells supervisors live', async () => {
    const sam = await loggedInAs(sys(), 'sam');
    const support = await sys()
      .db.selectFrom('queues')
      .select('id')
      .where('name', '=', 'support')
      .executeTakeFirstOrThrow();
    const created = await sam.post('/api/campaigns', {
      name: 'Support follow-up',
      mode: 'preview',
      queueId: support.id,
    });
    expect(created.status, created.text).toBe(201);
    const id = created.body.campaign.id as number;
    const carol = await loggedInAs(sys(), 'carol');
    const alice = await loggedInAs(sys(), 'alice');
    // carol is in the support queue; alice is not.
    expect(
      ((await carol.get('/api/campaigns')).body.campaigns as { id: number }[]).map((c) => c.id),
    ).toContain(id);
    expect(
      ((await alice.get('/api/campaigns')).body.campaigns as { id: number }[]).map((c) => c.id),
    ).not.toContain(id);
    expect((await alice.get(`/api/campaigns/${id}`)).status).toBe(404);
    expect((await alice.put(`/api/campaigns/${id}/agents/me`)).status).toBe(404);
    expect((await carol.get('/api/campaigns/abc')).status).toBe(400);

    const carolId = await userId(sys(), 'carol');
    const events: Array<{ agents: number }> = [];
    const seen = new Promise<void>((resolve) => {
      const off = sys().deps.events.subscribe({ userId: 0, role: 'supervisor' }, (e) => {
        if (e.event.type === 'campaign' && e.event.campaignId === id) {
          events.push({ agents: e.event.stats.agents });
          off();
          resolve();
        }
      });
    });
    const joined = await carol.put(`/api/campaigns/${id}/agents/me`);
    expect(joined.status, joined.text).toBe(200);
    expect(joined.body.campaign).toMatchObject({
      joined: true,
      stats: { agents: 1 },
      agents: [{ id: carolId, joined: true }],
    });
    await seen;
    expect(events).toEqual([{ agents: 1 }]);
    const left = await carol.delete(`/api/campaigns/${id}/agents/me`);
    expect(left.body.campaign).toMatchObject({ joined: false, stats: { agents: 0 } });
  });

  it('preview: reserves the next task to the agent, skips do-not-call numbers and waits for calling hours', async () => {
    const sam = await loggedInAs(sys(), 'sam');
    const admin = await loggedInAs(sys(), 'admin');
    expect(
      (await admin.post('/api/do-not-call', { number: '+44 20 7946 0900', reason: 'asked' })).status,
    ).toBe(201);
    const bobId = await userId(sys(), 'bob');
    // Open now in London.
    const open = await sam.post('/api/campaigns', {
      name: 'London open',
      mode: 'preview',
      agentIds: [bobId],
      callingHours: { from: londonHour(0), to: londonHour(1) },
    });
    const openId = open.body.campaign.id as number;
    const listed = await task(sam, bobId, '+44 20 7946 0900');
    const fine = await task(sam, bobId, '+44 20 7946 0901');
    expect((await sam.post(`/api/campaigns/${openId}/tasks`, { taskIds: [listed, fine] })).status).toBe(201);
    const bob = await loggedInAs(sys(), 'bob');
    // Not running yet.
    expect((await bob.put(`/api/campaigns/${openId}/agents/me`)).status).toBe(200);
    expect((await bob.get(`/api/campaigns/${openId}/next`)).status).toBe(409);
    expect((await sam.post(`/api/campaigns/${openId}/start`)).status).toBe(200);
    const next = await bob.get(`/api/campaigns/${openId}/next`);
    expect(next.status, next.text).toBe(200);
    expect(next.body.task).toMatchObject({ id: fine, status: 'reserved', number: '+442079460901' });
    // Asking again gives the same task, still reserved to bob.
    expect((await bob.get(`/api/campaigns/${openId}/next`)).body.task.id).toBe(fine);
    const tasks = (await sam.get(`/api/campaigns/${openId}/tasks`)).body.tasks as Array<{
      id: number;
      status: string;
      outcome: string | null;
    }>;
    expect(tasks.find((t) => t.id === listed)).toMatchObject({ status: 'closed', outcome: 'do_not_call' });
    // A call needs bob's phone: he has none registered, so the task stays reserved to him.
    expect((await bob.post(`/api/campaigns/${openId}/tasks/${fine}/call`)).status).toBe(409);
    const reserved = (await sam.get(`/api/campaigns/${openId}/tasks?status=reserved`)).body.tasks;
    expect(reserved).toEqual([
      expect.objectContaining({ id: fine, agent: { id: bobId, displayName: 'Bob' } }),
    ]);
    // Leaving gives the task back.
    await bob.delete(`/api/campaigns/${openId}/agents/me`);
    const back = (await sam.get(`/api/campaigns/${openId}/tasks?status=pending`)).body.tasks as {
      id: number;
    }[];
    expect(back.map((t) => t.id)).toEqual([fine]);

    // Closed now in London: the task waits for the window instead of being handed out.
    const closed = await sam.post('/api/campaigns', {
      name: 'London later',
      mode: 'preview',
      agentIds: [bobId],
      callingHours: { from: londonHour(2), to: londonHour(3) },
    });
    const closedId = closed.body.campaign.id as number;
    const later = await task(sam, bobId, '+44 20 7946 0902');
    await sam.post(`/api/campaigns/${closedId}/tasks`, { taskIds: [later] });
    await sam.post(`/api/campaigns/${closedId}/start`);
    await bob.put(`/api/campaigns/${closedId}/agents/me`);
    const asked = Date.now();
    expect((await bob.get(`/api/campaigns/${closedId}/next`)).body.task).toBeNull();
    const waiting = (await sam.get(`/api/campaigns/${closedId}/tasks`)).body.tasks[0];
    expect(waiting.status).toBe('pending');
    expect(waiting.nextAt).toBeGreaterThan(asked + 60 * 60_000);
  });
});
