import { connect, type Socket } from 'node:net';
import type { TcpTransport } from '@switchboard/sip';
import { RegistererState } from 'sip.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { registerWebAgent, startSippDeskPhone, type WebAgent } from './sip-agents';
import { openSipSocket } from './sip-websocket';
import { type ApiClient, type DatabaseKind, loggedInAs, TestSystem } from './test-system';

const kinds: DatabaseKind[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

function closed(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => ws.once('close', () => resolve()));
}

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms)),
  ]);
}

async function upgradeUrl(client: ApiClient): Promise<string> {
  const res = await client.get('/api/softphone/config');
  expect(res.status).toBe(200);
  return res.body.web.webSocketUrl as string;
}

for (const kind of kinds) {
  describe(`SIP WebSocket and event stream limits [${kind}]`, () => {
    let sys: TestSystem;
    const agents: WebAgent[] = [];
    beforeAll(async () => {
      sys = await TestSystem.start(kind, {
        SIP_WS_MAX_PER_SESSION: '2',
        SIP_MAX_CONNECTIONS_PER_ADDRESS: '6',
        SIP_AUTH_TIMEOUT_SECONDS: '1',
        EVENT_STREAMS_PER_SESSION: '2',
      });
    });
    afterAll(async () => {
      for (const a of agents) await a.stop();
      await sys?.stop();
    });

    it('refuses upgrades without a session or token; HTTP keeps answering', async () => {
      const bare = `${sys.url.replace('http', 'ws')}/sip`;
      const forged = `${bare}?token=${'A'.repeat(22)}.${'B'.repeat(32)}`;
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) => openSipSocket(i % 2 ? bare : forged)),
      );
      // 403, or 429 for those that found this address's 6 slots taken by upgrades still being checked.
      expect(results.every((r) => r.status === 403 || r.status === 429)).toBe(true);
      expect(results.some((r) => r.status === 403)).toBe(true);
      expect(sys.deps.sip.transport.get('WS')!.connectionCount()).toBe(0);
      expect((await fetch(`${sys.url}/healthz`)).status).toBe(200);
      // A browser's own cookie opens it too (no token in the URL).
      const alice = await loggedInAs(sys, 'alice');
      const viaCookie = await new Promise<number>((resolve) => {
        const ws = new WebSocket(bare, 'sip', { headers: { cookie: alice.cookieHeader() } });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => {
          resolve(101);
          ws.close();
        });
        ws.on('error', () => {});
      });
      expect(viaCookie).toBe(101);
    });

    it('caps connections per session and closes sockets that do not register in time', async () => {
      await expect.poll(() => sys.deps.sip.transport.get('WS')!.connectionCount()).toBe(0);
      const alice = await loggedInAs(sys, 'alice');
      const url = await upgradeUrl(alice);
      const opened = [await openSipSocket(url), await openSipSocket(url)];
      expect(opened.map((o) => o.status)).toEqual([101, 101]);
      expect((await openSipSocket(url)).status).toBe(429);
      // Neither registers: the server closes both after the 1 s deadline (generous margin for CI).
      await within(Promise.all(opened.map((o) => closed(o.ws))), 8000, 'closing idle sockets');
      // The slots are free again.
      const again = await openSipSocket(url);
      expect(again.status).toBe(101);
      again.ws.close();
      await closed(again.ws);
    });

    it('caps connections per address across sessions', async () => {
      await expect.poll(() => sys.deps.sip.transport.get('WS')!.connectionCount()).toBe(0);
      const sockets: WebSocket[] = [];
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const url = await upgradeUrl(await loggedInAs(sys, 'bob'));
        for (const o of [await openSipSocket(url), await openSipSocket(url)]) {
          statuses.push(o.status);
          if (o.status === 101) sockets.push(o.ws);
        }
      }
      expect(statuses.filter((s) => s === 101)).toHaveLength(6);
      expect(statuses.filter((s) => s === 429)).toHaveLength(2);
      for (const ws of sockets) ws.close();
      await Promise.all(sockets.map(closed));
    });

    it('a registered softphone stays connected past the deadline', async () => {
      const carol = await registerWebAgent(sys, 'carol');
      agents.push(carol);
      expect(sys.deps.sip.transport.get('WS')!.connectionCount()).toBeGreaterThanOrEqual(1);
      // Three times the 1 s deadline: an unregistered socket would be gone by now.
      await new Promise((r) => setTimeout(r, 3000));
      expect(carol.registerer.state).toBe(RegistererState.Registered);
      expect(sys.deps.registrar.isRegistered('1003')).toBe(true);
    });

    it('caps live event streams per session', async () => {
      const sam = await loggedInAs(sys, 'sam');
      const headers = { cookie: sam.cookieHeader() };
      const streams = [new AbortController(), new AbortController()];
      const first = await Promise.all(
        streams.map((a) => fetch(`${sys.url}/api/events`, { headers, signal: a.signal })),
      );
      expect(first.map((r) => r.status)).toEqual([200, 200]);
      const third = await fetch(`${sys.url}/api/events`, { headers });
      expect(third.status).toBe(429);
      expect(((await third.json()) as { error: { code: string } }).error.code).toBe('too_many_attempts');
      // Another session of the same user is not affected.
      const other = new AbortController();
      const otherSession = { cookie: (await loggedInAs(sys, 'sam')).cookieHeader() };
      const otherStream = await fetch(`${sys.url}/api/events`, {
        headers: otherSession,
        signal: other.signal,
      });
      expect(otherStream.status).toBe(200);
      other.abort();
      streams[0]!.abort();
      await first[0]!.body?.cancel().catch(() => {});
      await expect
        .poll(
          async () => {
            const a = new AbortController();
            const r = await fetch(`${sys.url}/api/events`, { headers, signal: a.signal });
            a.abort();
            return r.status;
          },
          { timeout: 5000 },
        )
        .toBe(200);
      streams[1]!.abort();
    });
  });
}

describe('SIP over TCP connection limits [sqlite]', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await TestSystem.start('sqlite', {
      SIP_MAX_CONNECTIONS: '20',
      SIP_MAX_CONNECTIONS_PER_ADDRESS: '1000',
      SIP_AUTH_TIMEOUT_SECONDS: '1',
    });
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('refuses connections over the cap, closes silent ones, and a desk phone still registers', async () => {
    const sockets: Socket[] = [];
    const ends: Array<Promise<number>> = [];
    for (let i = 0; i < 60; i++) {
      const s = connect({ host: '127.0.0.1', port: sys.sipPort });
      s.on('error', () => {});
      const opened = Date.now();
      ends.push(new Promise((resolve) => s.once('close', () => resolve(Date.now() - opened))));
      sockets.push(s);
    }
    const tcp = sys.deps.sip.transport.get('TCP') as TcpTransport;
    // All 60 arrive at once: normally 40 are refused; a loaded machine may spread them out.
    await expect.poll(() => tcp.refused, { timeout: 5000 }).toBeGreaterThanOrEqual(20);
    expect(tcp.connectionCount()).toBeLessThanOrEqual(20);
    // HTTP keeps its descriptors: health and sign-in answer while SIP over TCP is full.
    expect((await fetch(`${sys.url}/healthz`)).status).toBe(200);
    await loggedInAs(sys, 'alice');
    // Every connection ends: refused ones at once, accepted silent ones at the 1 s deadline.
    const lifetimes = await within(Promise.all(ends), 10_000, 'closing silent TCP connections');
    expect(Math.max(...lifetimes)).toBeGreaterThanOrEqual(900);
    await expect.poll(() => tcp.connectionCount(), { timeout: 3000 }).toBe(0);
    // A desk phone over TCP registers (and its connection outlives the deadline while it holds).
    const phone = await startSippDeskPhone(sys, { transport: 'tcp', holdMs: 2500 });
    await expect.poll(() => sys.deps.registrar.isRegistered('1004'), { timeout: 10_000 }).toBe(true);
    await new Promise((r) => setTimeout(r, 1800));
    expect(sys.deps.registrar.isRegistered('1004')).toBe(true);
    expect(await phone.exited, phone.output).toBe(0);
  });
});
