import { expect, it } from 'vitest';
import { describeEachDatabase } from './test-system';

/** Reads SSE frames from a streaming response until `want` events of interest arrived. */
async function readEvents(
  res: Response,
  want: number,
): Promise<{ id?: string; event: string; data: string }[]> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const out: { id?: string; event: string; data: string }[] = [];
  while (out.filter((e) => e.event !== 'ready').length < want) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let idx = buffer.indexOf('\n\n');
    while (idx >= 0) {
      const frame = buffer.slice(0, idx);
      buffer = buffer.slice(idx + 2);
      const fields = Object.fromEntries(
        frame
          .split('\n')
          .filter((l) => !l.startsWith(':') && l.includes(':'))
          .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trimStart()]),
      );
      if (fields.event) out.push({ id: fields.id, event: fields.event, data: fields.data ?? '' });
      idx = buffer.indexOf('\n\n');
    }
  }
  await reader.cancel();
  return out;
}

describeEachDatabase('live event stream', (sys) => {
  it('needs a desk session', async () => {
    expect((await sys().client().get('/api/events')).status).toBe(401);
  });

  it('streams the events addressed to the user, masked for agents, and resumes by Last-Event-ID', async () => {
    const c = sys().client();
    const login = await c.login('alice');
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    const bus = sys().system.deps.events;
    const aliceId = login.body.user.id as number;
    await sys().system.deps.settings.set('numberMasking', {
      mode: 'partial',
      keepFirst: 2,
      keepLast: 2,
      exemptSupervisors: true,
    });
    try {
      const res = await fetch(`${sys().url}/api/events`, { headers: { cookie } });
      expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
      const reading = readEvents(res, 2);
      // the stream is subscribed once the ready frame is out; publish after it is
      await expect.poll(() => bus.subscriberCount).toBeGreaterThan(0);
      bus.publish(
        { type: 'registration', extension: '1002', registered: true, contacts: 1, at: 1 },
        { userIds: [999] },
      );
      bus.publish(
        {
          type: 'call',
          callId: 'c1',
          state: 'ringing',
          direction: 'inbound',
          otherParty: '+12025550143',
          at: 2,
        },
        { userIds: [aliceId] },
      );
      bus.publish(
        { type: 'registration', extension: '1001', registered: true, contacts: 1, at: 3 },
        { userIds: [aliceId] },
      );
      const events = await reading;
      const data = events.filter((e) => e.event !== 'ready').map((e) => JSON.parse(e.data));
      expect(data).toEqual([
        {
          type: 'call',
          callId: 'c1',
          state: 'ringing',
          direction: 'inbound',
          otherParty: '+12*******43',
          at: 2,
        },
        { type: 'registration', extension: '1001', registered: true, contacts: 1, at: 3 },
      ]);

      // reconnecting with the id of the first event replays only what came after it
      const firstId = events.find((e) => e.event === 'call')!.id!;
      const again = await fetch(`${sys().url}/api/events`, { headers: { cookie, 'last-event-id': firstId } });
      const replay = await readEvents(again, 1);
      expect(replay.filter((e) => e.event !== 'ready').map((e) => JSON.parse(e.data).extension)).toEqual([
        '1001',
      ]);
    } finally {
      await sys().system.deps.settings.set('numberMasking', {
        mode: 'off',
        keepFirst: 2,
        keepLast: 2,
        exemptSupervisors: true,
      });
    }
  });

  it('a display asks for some event types: it gets only those, opens no desk, and an unknown type is refused', async () => {
    const c = sys().client();
    const login = await c.login('sam');
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    const samId = login.body.user.id as number;
    const bus = sys().system.deps.events;
    const agents = sys().system.deps.agents;

    const bad = await fetch(`${sys().url}/api/events?types=wallboard,gossip`, { headers: { cookie } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(
      /unknown event type "gossip"/,
    );

    const before = bus.subscriberCount;
    const res = await fetch(`${sys().url}/api/events?types=wallboard`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const reading = readEvents(res, 1);
    await expect.poll(() => bus.subscriberCount).toBeGreaterThan(before);
    expect(agents.openDesks(samId)).toBe(0);
    const wallboard = (await c.get('/api/wallboard')).body;
    bus.publish(
      { type: 'registration', extension: '2001', registered: true, contacts: 1, at: 1 },
      { userIds: [samId] },
    );
    bus.publish({ type: 'wallboard', wallboard, at: 2 }, { minRole: 'supervisor' });
    const events = (await reading).filter((e) => e.event !== 'ready');
    expect(events.map((e) => e.event)).toEqual(['wallboard']);
    expect(JSON.parse(events[0]!.data).wallboard.queues).toEqual(wallboard.queues);

    // A whole stream is a desk.
    const desk = await fetch(`${sys().url}/api/events`, { headers: { cookie } });
    const deskReading = readEvents(desk, 1);
    await expect.poll(() => agents.openDesks(samId)).toBe(1);
    bus.publish(
      { type: 'registration', extension: '2001', registered: true, contacts: 1, at: 3 },
      { userIds: [samId] },
    );
    expect((await deskReading).filter((e) => e.event !== 'ready').map((e) => e.event)).toEqual([
      'registration',
    ]);
  });

  it('reminds the owner when a callback plan comes due', async () => {
    const c = sys().client();
    const login = await c.login('bob');
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    const customers = await c.get('/api/customers?limit=1');
    const customer = customers.body.customers[0];
    const detail = await c.get(`/api/customers/${customer.id}`);
    const phoneId = detail.body.customer.phones[0].id;
    const res = await fetch(`${sys().url}/api/events`, { headers: { cookie } });
    const reading = readEvents(res, 1);
    await expect.poll(() => sys().system.deps.events.subscriberCount).toBeGreaterThan(0);
    const created = await c.post('/api/callback-plans', {
      customerId: customer.id,
      phoneId,
      dueAt: new Date(Date.now() + 1200).toISOString(),
      note: 'call back soon',
    });
    expect(created.status).toBe(201);
    const planId = created.body.plan.id;
    const [due] = (await reading).filter((e) => e.event === 'callback_plan');
    expect(JSON.parse(due!.data)).toMatchObject({ type: 'callback_plan', planId, status: 'due' });
  });
});
