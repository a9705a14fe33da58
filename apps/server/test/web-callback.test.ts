import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { WebCallback } from '@switchboard/shared';
import { freeUdpRange } from '@switchboard/test-support';
import { describe, expect, it } from 'vitest';
import { type Defer, deferrer } from './defer';
import { answeringCarrier, carrierRefusing, expectNothingLeft, startCarrier, trunksTo } from './script-peers';
import { type ApiClient, describeEachDatabase, loggedInAs, TestSystem } from './test-system';

const callbackNumber = { countryCode: '1', areaCode: '415', number: '5550132' };
const destination = { countryCode: '44', number: '2079460958' };

async function portal(sys: TestSystem, phoneNumber = '18005550100', password = 'demo'): Promise<ApiClient> {
  const c = sys.client();
  const res = await c.post('/api/portal/auth/login', { phoneNumber, password });
  expect(res.status, res.text).toBe(200);
  return c;
}

let seq = 0;
/** A new prepaid subscriber on the default plan with `credit` topped up; returns its portal client and id. */
async function newSubscriber(sys: TestSystem, credit: string) {
  const admin = await loggedInAs(sys, 'admin');
  const plans = await admin.get('/api/admin/plans');
  const accountNumber = `1555${String(process.pid % 1000).padStart(3, '0')}${String(++seq).padStart(4, '0')}`;
  const sub = await admin.post('/api/admin/subscribers', {
    accountNumber,
    displayName: `Web callback ${seq}`,
    password: 'secret-pw',
    planId: plans.body.plans[0].id,
  });
  expect(sub.status, sub.text).toBe(201);
  if (credit !== '0') {
    const r = await admin.post(`/api/admin/subscribers/${sub.body.id}/credit`, {
      amount: credit,
      reason: 'test',
    });
    expect(r.status, r.text).toBe(200);
  }
  return { client: await portal(sys, accountNumber, 'secret-pw'), id: sub.body.id as number };
}

async function setService(sys: TestSystem, change: Record<string, unknown>) {
  const admin = await loggedInAs(sys, 'admin');
  const current = await admin.get('/api/admin/web-callback');
  const res = await admin.put('/api/admin/web-callback', { ...current.body, ...change });
  expect(res.status, res.text).toBe(200);
}

async function auditCount(sys: TestSystem, action: string) {
  const r = await sys.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', action)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

describeEachDatabase('web callback: the call-back number and every refusal', (sys) => {
  it('registers a call-back number as E.164, refuses bad and premium numbers, and changes it on repeat', async () => {
    const c = await portal(sys());
    expect((await c.get('/api/portal/callback-number')).body).toEqual({ callbackNumber: null });
    const bad = await c.put('/api/portal/callback-number', { countryCode: '1', number: '12' });
    expect(bad.status).toBe(400);
    const invalid = await c.put('/api/portal/callback-number', {
      countryCode: '1',
      areaCode: '000',
      number: '0000000',
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toMatch(/not a valid/);
    const premium = await c.put('/api/portal/callback-number', {
      countryCode: '1',
      areaCode: '900',
      number: '5550123',
    });
    expect(premium.status).toBe(400);
    expect(premium.body.error.message).toMatch(/premium/);
    expect((await c.get('/api/portal/callback-number')).body).toEqual({ callbackNumber: null });

    const first = await c.put('/api/portal/callback-number', {
      countryCode: '+1',
      areaCode: '212',
      number: '555-0100',
    });
    expect(first.status, first.text).toBe(200);
    expect(first.body.callbackNumber).toEqual({
      countryCode: '1',
      areaCode: '212',
      number: '5550100',
      e164: '+12125550100',
    });
    const again = await c.put('/api/portal/callback-number', callbackNumber);
    expect(again.body.callbackNumber.e164).toBe('+14155550132');
    expect((await c.get('/api/portal/callback-number')).body.callbackNumber.e164).toBe('+14155550132');
    expect(await auditCount(sys(), 'subscriber.callback_number')).toBe(2);
  });

  it('without a registered number: 409 with the message to register one first', async () => {
    const { client } = await newSubscriber(sys(), '5.00');
    const res = await client.post('/api/portal/web-callbacks', { destination });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe('Please register a call-back number first before making call back');
  });

  it('402 when the balance cannot pay one billing increment; nothing is written', async () => {
    const { client, id } = await newSubscriber(sys(), '0');
    expect(
      (
        await client.put('/api/portal/callback-number', {
          countryCode: '1',
          areaCode: '212',
          number: '5550142',
        })
      ).status,
    ).toBe(200);
    const res = await client.post('/api/portal/web-callbacks', { destination });
    expect(res.status).toBe(402);
    expect(res.body.error.code).toBe('insufficient_credit');
    const rows = await sys()
      .db.selectFrom('web_callbacks')
      .select('id')
      .where('subscriber_id', '=', id)
      .execute();
    expect(rows).toEqual([]);
  });

  it('403 for a premium destination, a country the service does not allow, and connect-two when it is off', async () => {
    const { client } = await newSubscriber(sys(), '5.00');
    await client.put('/api/portal/callback-number', { countryCode: '1', areaCode: '212', number: '5550143' });
    const premium = await client.post('/api/portal/web-callbacks', {
      destination: { countryCode: '1', areaCode: '900', number: '5550123' },
    });
    expect(premium.status).toBe(403);
    expect(premium.body.error.message).toMatch(/premium/);

    await setService(sys(), { allowedCountries: ['US', 'CA'] });
    const country = await client.post('/api/portal/web-callbacks', { destination });
    expect(country.status).toBe(403);
    expect(country.body.error.message).toMatch(/GB are not allowed/);
    await setService(sys(), { allowedCountries: [], allowConnectTwo: false });
    const two = await client.post('/api/portal/web-callbacks', {
      destination,
      legA: { countryCode: '1', areaCode: '646', number: '5550177' },
    });
    expect(two.status).toBe(403);
    expect(two.body.error.message).toMatch(/not one of your numbers/);
    await setService(sys(), { allowConnectTwo: true });
    expect(await auditCount(sys(), 'web_callback.refused')).toBeGreaterThanOrEqual(3);
  });

  it('429 over the per-minute limit; another subscriber can neither see nor end the call (404)', async () => {
    // No trunk answers here: each accepted request fails at leg A at once, which is enough to count.
    await setService(sys(), { maxPerMinutePerSubscriber: 2 });
    const { client } = await newSubscriber(sys(), '5.00');
    await client.put('/api/portal/callback-number', { countryCode: '1', areaCode: '212', number: '5550144' });
    const one = await client.post('/api/portal/web-callbacks', { destination });
    expect(one.status, one.text).toBe(201);
    expect(one.body).toMatchObject({ id: expect.any(Number), legs: [{ side: 'a' }, { side: 'b' }] });
    expect((await client.post('/api/portal/web-callbacks', { destination })).status).toBe(201);
    const three = await client.post('/api/portal/web-callbacks', { destination });
    expect(three.status).toBe(429);
    expect(three.body.error.message).toMatch(/at most 2 web callbacks a minute/);
    const list = await client.get('/api/portal/web-callbacks');
    expect(list.body.total).toBe(2);

    const other = await newSubscriber(sys(), '1.00');
    expect((await other.client.get(`/api/portal/web-callbacks/${one.body.id}`)).status).toBe(404);
    expect((await other.client.delete(`/api/portal/web-callbacks/${one.body.id}`)).status).toBe(404);
    expect((await client.get(`/api/portal/web-callbacks/${one.body.id}`)).status).toBe(200);
    await setService(sys(), { maxPerMinutePerSubscriber: 5 });
  });

  it("429 at the account's own per-day limit, and 403 for a country the account may not call", async () => {
    const { client, id } = await newSubscriber(sys(), '5.00');
    const admin = await loggedInAs(sys(), 'admin');
    const limits = await admin.patch(`/api/admin/subscribers/${id}`, {
      limits: { maxCallsPerDay: 1, allowedCountries: ['US'] },
    });
    expect(limits.status, limits.text).toBe(200);
    await client.put('/api/portal/callback-number', { countryCode: '1', areaCode: '212', number: '5550145' });
    const abroad = await client.post('/api/portal/web-callbacks', { destination });
    expect(abroad.status).toBe(403);
    const us = { countryCode: '1', areaCode: '646', number: '5550190' };
    const first = await client.post('/api/portal/web-callbacks', { destination: us });
    expect(first.status, first.text).toBe(201);
    const second = await client.post('/api/portal/web-callbacks', { destination: us });
    expect(second.status).toBe(429);
    expect(second.body.error.message).toMatch(/a day/);
    expect((await client.get('/api/portal/web-callbacks')).body.total).toBe(1);
  });

  it('the admin settings refuse bad values and change nothing', async () => {
    const admin = await loggedInAs(sys(), 'admin');
    const before = (await admin.get('/api/admin/web-callback')).body;
    const bad = await admin.put('/api/admin/web-callback', {
      ...before,
      legACallerIdPolicy: 'fixed',
      legACallerId: null,
    });
    expect(bad.status).toBe(400);
    const noTrunk = await admin.put('/api/admin/web-callback', { ...before, trunkId: 99999 });
    expect(noTrunk.status).toBe(400);
    expect((await admin.get('/api/admin/web-callback')).body).toEqual(before);
    const agent = await loggedInAs(sys(), 'dave');
    expect((await agent.put('/api/admin/web-callback', before)).status).toBe(403);
  });
});

/** Reads an SSE response until `done` says so (or the stream ends). */
async function readUntil(
  res: Response,
  done: (e: { event: string; data: string }) => boolean,
): Promise<Array<{ event: string; data: string }>> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const out: Array<{ event: string; data: string }> = [];
  for (;;) {
    const { value, done: ended } = await reader.read();
    if (ended) return out;
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
      if (fields.event) {
        const e = { event: fields.event, data: fields.data ?? '' };
        out.push(e);
        if (done(e)) {
          await reader.cancel();
          return out;
        }
      }
      idx = buffer.indexOf('\n\n');
    }
  }
}

describe('web callback calls through a sipp carrier', () => {
  async function startSwitch(defer: Defer) {
    const min = await freeUdpRange(40);
    const sys = await TestSystem.start(
      'sqlite',
      { TRUNK_URI: 'sip:127.0.0.1:9', RTP_PORT_MIN: String(min), RTP_PORT_MAX: String(min + 39) },
      { trunks: { optionsIntervalMs: 0 }, calls: { ringTimeoutMs: 4000 } },
    );
    defer(() => sys.stop());
    return sys;
  }

  async function ended(sys: TestSystem, c: ApiClient, id: number): Promise<WebCallback> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const res = await c.get(`/api/portal/web-callbacks/${id}`);
      if (res.body.status === 'ended') {
        const call = sys.deps.scripts.calls.find((x) => x.uuid === res.body.callId);
        if (call) await sys.deps.scripts.whenEnded(call);
        return res.body;
      }
      if (Date.now() > deadline) throw new Error(`web callback ${id} still ${res.body.status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('calls A, then B, bridges them with caller IDs crossed, hangs up from the portal and charges the talk time', {
    timeout: 40_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer);
    const messageFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'sb-wcb-')), 'carrier.log');
    const carrier = await startCarrier(defer, answeringCarrier(), { calls: 2, messageFile });
    await trunksTo(sys, [carrier]);
    await setService(sys, { record: true });
    const c = await portal(sys);
    await c.put('/api/portal/callback-number', callbackNumber);
    const before = (await c.get('/api/portal/me')).body.subscriber;
    const res = await c.post('/api/portal/web-callbacks', {
      destination: { countryCode: '1', areaCode: '212', number: '5550199' },
    });
    expect(res.status, res.text).toBe(201);
    const id = res.body.id as number;
    const call = sys.deps.scripts.calls.find((x) => x.uuid === res.body.callId)!;
    expect(call).toBeDefined();
    // Wait until both legs are up and bridged.
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('never connected')), 15_000);
      const poll = setInterval(async () => {
        const r = await c.get(`/api/portal/web-callbacks/${id}`);
        if (r.body.status === 'connected') {
          clearInterval(poll);
          clearTimeout(t);
          resolve();
        }
      }, 100);
    });
    const live = (await c.get(`/api/portal/web-callbacks/${id}`)).body as WebCallback;
    expect(live.legs.map((l) => [l.side, l.number, l.status])).toEqual([
      ['a', '+14155550132', 'connected'],
      ['b', '+12125550199', 'connected'],
    ]);
    // The switch presented B's number to A and the subscriber's number to B.
    const invites = readFileSync(messageFile, 'utf8')
      .split(/\n(?=INVITE sip:)/)
      .filter((m) => m.startsWith('INVITE sip:'));
    expect(invites).toHaveLength(2);
    expect(invites[0]).toMatch(/^INVITE sip:\+14155550132/);
    expect(invites[0]).toMatch(/From:[^\n]*\+12125550199/);
    expect(invites[0]).toMatch(/P-Asserted-Identity:[^\n]*\+12125550199/);
    expect(invites[1]).toMatch(/^INVITE sip:\+12125550199/);
    expect(invites[1]).toMatch(/From:[^\n]*\+14155550132/);
    await call.wait(2100);
    expect((await c.delete(`/api/portal/web-callbacks/${id}`)).status).toBe(204);
    const done = await ended(sys, c, id);
    expect(done.outcome).toBe('You ended the call from the portal');
    expect(done.durationS).toBeGreaterThanOrEqual(2);
    // 0.01 a minute in 6 s increments: 2–3 s of talk cost 0.01.
    expect(done.cost).toBe('0.01');
    const after = (await c.get('/api/portal/me')).body.subscriber;
    expect(Math.round((Number(before.balance) - Number(after.balance)) * 100)).toBe(1);
    const cdr = await sys.db
      .selectFrom('calls')
      .selectAll()
      .where('call_uuid', '=', done.callId)
      .executeTakeFirstOrThrow();
    expect(cdr).toMatchObject({ service: 'web_callback', disposition: 'answered', status: 'closed' });
    // The service's policy says record: the bridge is in the recordings, finished.
    expect(cdr.recording_id).not.toBeNull();
    const recording = await sys.db
      .selectFrom('recordings')
      .selectAll()
      .where('id', '=', cdr.recording_id!)
      .executeTakeFirstOrThrow();
    expect(recording.status).toBe('complete');
    expect(recording.duration_ms).toBeGreaterThan(1500);
    const legs = await sys.db
      .selectFrom('call_legs')
      .selectAll()
      .where('call_id', '=', cdr.id)
      .orderBy('id')
      .execute();
    expect(legs.map((l) => [l.role, l.peer])).toEqual([
      ['customer', '+14155550132'],
      ['destination', '+12125550199'],
    ]);
    expect(legs[1]!.cost_micros).toBe(10_000);
    // Supervisors see it in the CDR search, named by its service, with its cost.
    const supervisor = await loggedInAs(sys, 'sam');
    const search = await supervisor.get('/api/cdr?pageSize=10&sort=startedAt&order=desc');
    expect(search.status, search.text).toBe(200);
    const row = search.body.records.find((r: { callUuid: string }) => r.callUuid === done.callId);
    expect(row).toMatchObject({ service: 'web_callback', cost: '0.01', disposition: 'answered' });
    expect((await c.delete(`/api/portal/web-callbacks/${id}`)).status).toBe(409);
    await expectNothingLeft(sys);
  });

  it('B busy: A hears why, the call ends, nothing is charged; Change Number calls the one-off number', {
    timeout: 40_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer);
    const carrier = await startCarrier(defer, carrierRefusing('sip:\\+?44', '486 Busy Here'), { calls: 2 });
    await trunksTo(sys, [carrier]);
    const c = await portal(sys);
    await c.put('/api/portal/callback-number', callbackNumber);
    // The subscriber's live stream carries the call; nobody else's portal stream does.
    const listenersBefore = sys.deps.events.subscriberCount;
    const stream = await fetch(`${sys.url}/api/portal/events`, { headers: { cookie: c.cookieHeader() } });
    expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
    const seen = readUntil(
      stream,
      (e) => e.event === 'web_callback' && JSON.parse(e.data).webCallback.status === 'ended',
    );
    const other = await newSubscriber(sys, '1.00');
    const otherStream = new AbortController();
    defer(() => otherStream.abort());
    const otherRes = await fetch(`${sys.url}/api/portal/events`, {
      headers: { cookie: other.client.cookieHeader() },
      signal: otherStream.signal,
    });
    const otherSeen: string[] = [];
    void readUntil(otherRes, (e) => {
      otherSeen.push(e.event);
      return false;
    }).catch(() => {});
    // Both streams are open (the server's own listeners, such as the wallboard's, count too).
    await expect.poll(() => sys.deps.events.subscriberCount).toBe(listenersBefore + 2);
    const res = await c.post('/api/portal/web-callbacks', {
      destination,
      legA: { countryCode: '1', areaCode: '646', number: '5550188' },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.mode).toBe('connect_two');
    const done = await ended(sys, c, res.body.id);
    expect(done.legs.map((l) => [l.number, l.status, l.cause])).toEqual([
      ['+16465550188', 'ended', expect.any(String)],
      ['+442079460958', 'busy', 'busy'],
    ]);
    expect(done.outcome).toBe('The number you called was busy');
    const events = await seen;
    const changes = events
      .filter((e) => e.event === 'web_callback')
      .map((e) => JSON.parse(e.data).webCallback as WebCallback);
    expect(changes.map((w) => w.legs.map((l) => l.status).join('/'))).toContain('connected/busy');
    expect(changes.at(-1)).toMatchObject({ status: 'ended', outcome: 'The number you called was busy' });
    expect(events.some((e) => e.event === 'call_leg')).toBe(true);
    expect(otherSeen.filter((e) => e !== 'ready')).toEqual([]);
    expect(done.cost).toBe('0.00');
    expect((await c.get('/api/portal/callback-number')).body.callbackNumber.e164).toBe('+14155550132');
    const account = await sys.db
      .selectFrom('subscribers')
      .select(['balance_minor', 'reserved_minor'])
      .where('phone_number', '=', '18005550100')
      .executeTakeFirstOrThrow();
    expect({ balance: Number(account.balance_minor), reserved: Number(account.reserved_minor) }).toEqual({
      balance: 2000,
      reserved: 0,
    });
    await expectNothingLeft(sys);
  });
});
