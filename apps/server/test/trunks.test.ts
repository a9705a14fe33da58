import { createSocket } from 'node:dgram';
import type { LiveEvent } from '@switchboard/shared';
import { afterEach, describe, expect, it } from 'vitest';
import type { TrunkStatus } from '../src/switch/trunks/trunk-manager';
import { type SippProcess, startSipp, tcpReady } from './sip-agents';
import { sippScenarioFile } from './sipp/scenario-files';
import { describeEachDatabase, TestSystem, userId } from './test-system';

const fast = {
  trunks: { optionsIntervalMs: 150, optionsTimeoutMs: 300, downAfter: 1, retryMinMs: 100, retryMaxMs: 400 },
};

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startCarrier(transport: 'udp' | 'tcp', port?: number): Promise<SippProcess> {
  const carrier = await startSipp({
    scenario: sippScenarioFile('carrier-registrar.xml'),
    transport,
    port,
    timeoutMs: 30_000,
    args: ['-deadcall_wait', '1', '-trace_err'],
  });
  cleanups.push(() => {
    carrier.kill();
    return carrier.exited;
  });
  if (transport === 'tcp') await tcpReady(carrier.port);
  return carrier;
}

/** Resolves with the first trunk status (of trunk `name`) that satisfies `test`. */
function trunkStatus(sys: TestSystem, name: string, test: (s: TrunkStatus) => boolean, timeoutMs = 8000) {
  const now = sys.deps.trunks.statuses().find((s) => s.name === name);
  if (now && test(now)) return Promise.resolve(now);
  return new Promise<TrunkStatus>((resolve, reject) => {
    const t = setTimeout(() => {
      off();
      reject(
        new Error(`trunk ${name} did not reach the state: ${JSON.stringify(sys.deps.trunks.statuses())}`),
      );
    }, timeoutMs);
    const off = sys.deps.trunks.onChange((s) => {
      if (s.name !== name || !test(s)) return;
      clearTimeout(t);
      off();
      resolve(s);
    });
  });
}

for (const transport of ['udp', 'tcp'] as const) {
  describe(`trunk registration over ${transport.toUpperCase()} (sipp carrier)`, () => {
    it('registers through a 401 challenge, keeps alive with OPTIONS, goes down and up with the carrier', async () => {
      const carrier = await startCarrier(transport);
      const sys = await TestSystem.start(
        'sqlite',
        {
          TRUNK_URI: `sip:127.0.0.1:${carrier.port}${transport === 'tcp' ? ';transport=tcp' : ''}`,
          TRUNK_USERNAME: 'carrier',
          TRUNK_PASSWORD: 's3cret',
        },
        fast,
      );
      cleanups.push(() => sys.stop());
      const up = await trunkStatus(sys, 'default', (s) => s.state === 'up' && s.keepalive.up === true);
      expect(up.registration).toMatchObject({ state: 'registered', lastStatus: 200, lastError: null });
      expect(up.registration!.expiresAt! - Date.now()).toBeGreaterThan(250_000);
      const route = sys.deps.trunks.pick();
      expect(route).toMatchObject({
        name: 'default',
        transport: transport.toUpperCase(),
        credentials: { username: 'carrier', password: 's3cret' },
        port: carrier.port,
      });
      expect(sys.deps.trunks.trunkForAddress('127.0.0.1', 5060)?.trunkId).toBe(up.id);
      expect(sys.deps.trunks.trunkForAddress('::ffff:127.0.0.1', 1234)?.trunkId).toBe(up.id);
      expect(sys.deps.trunks.trunkForAddress('192.0.2.77', 5060)).toBeNull();

      // The admin API shows the live state beside the stored trunk.
      const admin = sys.client();
      await admin.login('admin', 'admin');
      const list = await admin.get('/api/admin/trunks');
      const shown = list.body.trunks.find((t: { name: string }) => t.name === 'default');
      expect(shown.live).toMatchObject({ state: 'up', registration: { state: 'registered' } });

      const metrics = await (await fetch(`${sys.url}/metrics`)).text();
      expect(metrics).toContain('switchboard_trunk_state{trunk="default",state="up"} 1');

      // The carrier stops answering: the keep-alive marks the trunk down and calls get no trunk.
      carrier.kill();
      await carrier.exited;
      await trunkStatus(sys, 'default', (s) => s.state === 'down');
      expect(sys.deps.trunks.pick()).toBeNull();

      // Back on the same port: up again.
      await startCarrier(transport, carrier.port);
      await trunkStatus(sys, 'default', (s) => s.state === 'up');
      expect(sys.deps.trunks.pick()?.name).toBe('default');
    }, 30_000);
  });
}

describe('trunk registration refused', () => {
  it('a wrong password leaves the trunk unregistered and retries with backoff', async () => {
    const carrier = await startCarrier('udp');
    const sys = await TestSystem.start(
      'sqlite',
      { TRUNK_URI: `sip:127.0.0.1:${carrier.port}`, TRUNK_USERNAME: 'carrier', TRUNK_PASSWORD: 'wrong' },
      fast,
    );
    cleanups.push(() => sys.stop());
    const first = await trunkStatus(sys, 'default', (s) => s.registration?.lastStatus === 403);
    expect(first.state).toBe('unregistered');
    expect(first.registration).toMatchObject({ state: 'failed', lastError: expect.stringContaining('403') });
    expect(first.registration!.nextAttemptAt).toBeGreaterThan(Date.now() - 50);
    expect(sys.deps.trunks.pick()).toBeNull();
  }, 20_000);
});

describeEachDatabase('trunks from the admin API', (sys) => {
  it('an IP-authenticated trunk is reloaded on change; inbound addresses and CIDR blocks are accepted', async () => {
    const carrier = await startCarrier('udp');
    const admin = sys().client();
    await admin.login('admin', 'admin');
    // The live stream tells administrators (only) each change of a trunk's state.
    const adminEvents: LiveEvent[] = [];
    const agentEvents: LiveEvent[] = [];
    const adminId = await userId(sys(), 'admin');
    const offAdmin = sys().deps.events.subscribe({ userId: adminId, role: 'admin' }, (e) =>
      adminEvents.push(e.event),
    );
    const offAgent = sys().deps.events.subscribe({ userId: adminId + 1000, role: 'supervisor' }, (e) =>
      agentEvents.push(e.event),
    );
    cleanups.push(offAdmin, offAgent);
    const created = await admin.post('/api/admin/trunks', {
      name: 'ip-carrier',
      uri: `sip:127.0.0.1:${carrier.port}`,
      inboundAddresses: ['198.51.100.7', '203.0.113.0/24'],
    });
    expect(created.status).toBe(201);
    expect(created.body.inboundAddresses).toEqual(['198.51.100.7', '203.0.113.0/24']);
    expect(created.body.live).toMatchObject({ registration: null });
    const id = created.body.id as number;
    await trunkStatus(sys(), 'ip-carrier', (s) => s.state === 'up' && s.keepalive.up === true, 40_000);
    expect(sys().deps.trunks.trunkForAddress('203.0.113.200', 5060)?.trunkId).toBe(id);
    expect(sys().deps.trunks.trunkForAddress('198.51.100.7', 5060)?.trunkId).toBe(id);
    expect(sys().deps.trunks.trunkForAddress('198.51.100.8', 5060)).toBeNull();
    const trunkStates = (events: LiveEvent[]) =>
      events.flatMap((e) => (e.type === 'trunk_state' && e.trunkId === id ? [e.state] : []));
    expect(trunkStates(adminEvents)).toContain('up');
    expect(trunkStates(agentEvents)).toEqual([]);

    const disabled = await admin.patch(`/api/admin/trunks/${id}`, { enabled: false });
    expect(disabled.body.live.state).toBe('disabled');
    expect(sys().deps.trunks.state(id)).toBe('disabled');
    expect(trunkStates(adminEvents).at(-1)).toBe('disabled');
    expect(sys().deps.trunks.trunkForAddress('198.51.100.7', 5060)).toBeNull();

    expect((await admin.delete(`/api/admin/trunks/${id}`)).status).toBe(204);
    expect(sys().deps.trunks.status(id)).toBeNull();
    const bad = await admin.post('/api/admin/trunks', {
      name: 'bad',
      uri: 'sip:127.0.0.1',
      inboundAddresses: ['not an address!'],
    });
    expect(bad.status).toBe(400);
  });
});

describeEachDatabase('SIP input', (sys) => {
  it('answers garbage with 400, OPTIONS with 200, and keeps running', async () => {
    const sock = createSocket('udp4');
    cleanups.push(() => new Promise<void>((r) => sock.close(() => r())));
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    const port = sock.address().port;
    const replies: string[] = [];
    let wake: () => void = () => {};
    sock.on('message', (m) => {
      replies.push(m.toString());
      wake();
    });
    const exchange = async (text: string) => {
      const got = new Promise<void>((r) => {
        wake = r;
      });
      sock.send(text, sys().sipPort, '127.0.0.1');
      await got;
      return replies.at(-1)!;
    };
    const head = (method: string, extra = '') =>
      `${method} sip:127.0.0.1:${sys().sipPort} SIP/2.0\r\n` +
      `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK${Math.random().toString(36).slice(2)}\r\n` +
      'From: <sip:fuzz@127.0.0.1>;tag=1\r\nTo: <sip:127.0.0.1>\r\n' +
      `Call-ID: ${Math.random()}\r\nCSeq: 1 ${method}\r\nMax-Forwards: 70\r\n${extra}Content-Length: 0\r\n\r\n`;
    expect(await exchange(head('REGISTER', 'Contact: <sip:x@127.0.0.1>\r\nBad Header Name: x\r\n'))).toMatch(
      /^SIP\/2\.0 400/,
    );
    expect(await exchange(head('OPTIONS').replace('CSeq: 1 OPTIONS', 'CSeq: banana'))).toMatch(
      /^SIP\/2\.0 400/,
    );
    expect(await exchange(head('REGISTER', 'Contact: *\r\nExpires: 60\r\n'))).toMatch(/^SIP\/2\.0 401/);
    expect(await exchange(head('OPTIONS'))).toMatch(/^SIP\/2\.0 200/);
    expect(await exchange(head('INVITE', 'Contact: <sip:x@127.0.0.1>\r\n'))).toMatch(
      /^SIP\/2\.0 (100|480|404|403)/,
    );
    expect((await fetch(`${sys().url}/healthz`)).status).toBe(200);
  });
});
