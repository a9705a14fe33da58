import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyWebhook } from '../src/webhooks/webhook-signature';
import { carrierCall, MediaPeer, startDesk } from './call-peers';
import { deferrer } from './defer';
import { freePort } from './sip-agents';
import { allCallsEnded } from './switch-events';
import {
  describeEachDatabase,
  loggedInAs,
  TestSystem as System,
  type TestSystem,
  userId,
} from './test-system';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  json: { id: string; type: string; data: Record<string, unknown> };
}

/** A webhook receiver on a free port: answers each request with the next status of `statuses` (then 200). */
async function startReceiver(statuses: number[] = [], port = 0) {
  const received: Received[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body, json: JSON.parse(body) });
      res.statusCode = statuses.shift() ?? 200;
      res.end(res.statusCode === 200 ? 'ok' : 'try later');
      for (const w of [...waiters]) if (received.length >= w.n) w.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    /** Resolves once `n` requests have arrived. */
    count: (n: number) =>
      received.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve })),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const restartTimings = { webhooks: { retryDelaysMs: [2000], pollMs: 50 } };
const fast = { webhooks: { retryDelaysMs: [150, 150, 150], pollMs: 50, requestTimeoutMs: 2000 } };

async function hook(sys: TestSystem, url: string, events: string[], extra: object = {}) {
  const admin = await loggedInAs(sys, 'admin');
  const res = await admin.post('/api/admin/webhooks', { url, events, ...extra });
  expect(res.status, res.text).toBe(201);
  return res.body.webhook as { id: number; secret: string };
}

/** Sets a result on one of alice's demo dial tasks (an event webhooks hear without a call). */
async function setTaskResult(sys: TestSystem, result: string): Promise<number> {
  const alice = await loggedInAs(sys, 'alice');
  const task = (await alice.get('/api/dial-tasks')).body.tasks[0];
  const res = await alice.patch(`/api/dial-tasks/${task.id}`, { result });
  expect(res.status, res.text).toBe(200);
  return task.id;
}

describeEachDatabase(
  'webhooks',
  (sys) => {
    it('are set up by administrators only, with a clear error for bad input, and audited', async () => {
      const admin = await loggedInAs(sys(), 'admin');
      const bad = await admin.post('/api/admin/webhooks', { url: 'ftp://x', events: [] });
      expect(bad.status).toBe(400);
      const unknown = await admin.post('/api/admin/webhooks', {
        url: 'http://127.0.0.1:9/x',
        events: ['call.exploded'],
      });
      expect(unknown.status).toBe(400);
      const sam = await loggedInAs(sys(), 'sam');
      expect((await sam.get('/api/admin/webhooks')).status).toBe(403);

      const receiver = await startReceiver();
      const created = await hook(sys(), receiver.url, ['call.ended'], { description: 'CRM' });
      expect(created.secret).toMatch(/^whsec_/);
      const patched = await admin.patch(`/api/admin/webhooks/${created.id}`, { enabled: false });
      expect(patched.body.webhook.enabled).toBe(false);
      // A ping goes to the webhook even though it is disabled and takes no ping events.
      expect((await admin.post(`/api/admin/webhooks/${created.id}/ping`)).status).toBe(202);
      await receiver.count(1);
      expect(receiver.received[0]!.json.type).toBe('ping');
      expect((await admin.delete(`/api/admin/webhooks/${created.id}`)).status).toBe(204);
      expect((await admin.get(`/api/admin/webhooks/${created.id}/deliveries`)).status).toBe(404);
      const audit = await sys()
        .db.selectFrom('audit_log')
        .select('action')
        .where('entity', '=', 'webhook')
        .where('entity_id', '=', String(created.id))
        .orderBy('id')
        .execute();
      expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'delete']);
      await receiver.close();
    });

    it('deliver a signed event, and retry a failing receiver until it answers 2xx', async () => {
      const receiver = await startReceiver([500, 503]);
      const { id, secret } = await hook(sys(), receiver.url, ['dial_task.result'], { maskNumbers: false });
      const taskId = await setTaskResult(sys(), 'no_answer');
      await receiver.count(3);
      const bodies = new Set(receiver.received.map((r) => r.body));
      expect(bodies.size).toBe(1);
      for (const r of receiver.received) {
        expect(r.headers['switchboard-event']).toBe('dial_task.result');
        expect(verifyWebhook(secret, r.body, String(r.headers['switchboard-signature']))).toBe(true);
        expect(verifyWebhook('whsec_other', r.body, String(r.headers['switchboard-signature']))).toBe(false);
      }
      expect(receiver.received[0]!.json.data).toMatchObject({
        task: { id: taskId, result: 'no_answer', number: expect.stringMatching(/^\+\d+$/) },
      });
      const admin = await loggedInAs(sys(), 'admin');
      await sys().deps.webhooks.deliveries.idle();
      const log = (await admin.get(`/api/admin/webhooks/${id}/deliveries`)).body.deliveries;
      // Delivered on the third attempt; no further attempt is scheduled.
      expect(log).toEqual([
        expect.objectContaining({
          eventType: 'dial_task.result',
          status: 'delivered',
          attempts: 3,
          lastStatusCode: 200,
          lastResponse: 'ok',
          nextAttemptAt: null,
        }),
      ]);
      await admin.patch(`/api/admin/webhooks/${id}`, { enabled: false });
      await receiver.close();
    });
  },
  fast,
);

describe('webhooks on calls and across a restart [sqlite]', () => {
  it('send call started, answered and ended with the CDR, numbers masked as configured', {
    timeout: 60_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const sys = await System.start(
      'sqlite',
      { TRUNK_URI: 'sip:127.0.0.1:9' },
      { ...fast, trunks: { optionsIntervalMs: 0 } },
    );
    defer(() => sys.stop());
    const admin = await loggedInAs(sys, 'admin');
    await admin.put('/api/admin/settings', {
      numberMasking: { mode: 'partial', keepFirst: 2, keepLast: 2, exemptSupervisors: false },
    });
    const plain = await startReceiver();
    const masked = await startReceiver();
    defer(() => plain.close());
    defer(() => masked.close());
    const events = ['call.started', 'call.answered', 'call.ended'];
    await hook(sys, plain.url, events, { maskNumbers: false });
    await hook(sys, masked.url, events);

    const media = await MediaPeer.start();
    defer(() => media.close());
    const desk = await startDesk(sys, 'answer', media.port);
    const carrier = await carrierCall(defer, sys, { did: '5550104', expect: 200, talkMs: 500 });
    await Promise.all([carrier.exited, desk.exited]);
    await allCallsEnded(sys);
    await plain.count(3);
    await masked.count(3);
    expect(plain.received.map((r) => r.json.type).sort()).toEqual([
      'call.answered',
      'call.ended',
      'call.started',
    ]);
    const ended = plain.received.find((r) => r.json.type === 'call.ended')!.json.data.call as Record<
      string,
      unknown
    >;
    const dave = await userId(sys, 'dave');
    expect(ended).toMatchObject({
      type: 'inbound',
      disposition: 'answered',
      customerNumber: '+12025550199',
      calledNumber: '5550104',
      agent: { id: dave, username: 'dave' },
    });
    expect(ended.endedAt).toEqual(expect.any(Number));
    const maskedEnd = masked.received.find((r) => r.json.type === 'call.ended')!.json.data.call as Record<
      string,
      unknown
    >;
    expect(maskedEnd.customerNumber).toBe('+12*******99');
    expect(maskedEnd.id).toBe(ended.id);
  });

  it('keep a delivery across a restart and send it once the receiver is up', {
    timeout: 60_000,
  }, async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-webhooks-'));
    const env = { DATABASE_URL: `sqlite:${path.join(dir, 'switchboard.db')}` };
    try {
      const port = await freePort();
      let sys = await System.start('sqlite', env, restartTimings);
      // Nothing listens on the port yet: the first attempt fails and the next is 2 s away.
      await hook(sys, `http://127.0.0.1:${port}/hook`, ['dial_task.result']);
      await setTaskResult(sys, 'busy');
      await sys.deps.webhooks.deliveries.idle();
      const before = await sys.db.selectFrom('webhook_deliveries').selectAll().executeTakeFirstOrThrow();
      expect(before).toMatchObject({ status: 'pending', attempts: 1, last_status_code: null });
      expect(before.last_response).toMatch(/^Not delivered/);
      await sys.stop();

      // The receiver comes up; the restarted server finds the delivery and sends it when it is due.
      const receiver = await startReceiver([], port);
      sys = await System.start('sqlite', env, restartTimings);
      await receiver.count(1);
      expect(receiver.received[0]!.json.type).toBe('dial_task.result');
      await sys.deps.webhooks.deliveries.idle();
      const after = await sys.db.selectFrom('webhook_deliveries').selectAll().executeTakeFirstOrThrow();
      expect(after).toMatchObject({ status: 'delivered', last_status_code: 200 });
      expect(after.attempts).toBeGreaterThanOrEqual(2);
      expect(receiver.received).toHaveLength(1);
      await sys.stop();
      await receiver.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
