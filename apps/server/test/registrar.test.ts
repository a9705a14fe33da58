import { RegistererState } from 'sip.js';
import { afterEach, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { nextRegistration, registerWebAgent, startSippDeskPhone, type WebAgent } from './sip-agents';
import { describeEachDatabase, loggedInAs } from './test-system';

const agents: WebAgent[] = [];
afterEach(async () => {
  for (const a of agents.splice(0)) await a.stop();
});

describeEachDatabase('registrar', (sys) => {
  it('registers a web extension over WebSocket with the session credential; /api/agents shows it', async () => {
    const changed = nextRegistration(sys(), '1001', (c) => c.registered);
    const alice = await registerWebAgent(sys(), 'alice');
    agents.push(alice);
    expect(await changed).toEqual({ extension: '1001', registered: true, contacts: 1 });
    const contacts = sys().deps.registrar.lookup('1001');
    expect(contacts).toHaveLength(1);
    expect(contacts[0]).toMatchObject({ extension: '1001', transport: 'WS' });
    expect(contacts[0]!.instanceId).toMatch(/^<urn:uuid:/);
    expect(contacts[0]!.userId).toBeTypeOf('number');

    // The registration event reaches the extension's owner and supervisors, not other agents.
    const userId = contacts[0]!.userId!;
    const seen = (viewer: { userId: number; role: 'agent' | 'supervisor' }) =>
      sys()
        .deps.events.since(0, viewer)
        .some((e) => e.event.type === 'registration' && e.event.extension === '1001' && e.event.registered);
    expect(seen({ userId, role: 'agent' })).toBe(true);
    expect(seen({ userId: -1, role: 'supervisor' })).toBe(true);
    expect(seen({ userId: -1, role: 'agent' })).toBe(false);
    const metrics = await (await fetch(`${sys().url}/metrics`)).text();
    expect(metrics).toMatch(/switchboard_sip_registrations\{kind="contacts"\} [1-9]/);
    expect(metrics).toMatch(/switchboard_sip_requests_total\{method="REGISTER"\} [1-9]/);

    const sup = sys().client();
    await sup.login('sam');
    const res = await sup.get('/api/agents');
    expect(res.status).toBe(200);
    const row = res.body.agents.find((a: { username: string }) => a.username === 'alice');
    expect(row.extension.registration.registered).toBe(true);
    expect(row.extension.registration.contacts[0].transport).toBe('WS');
    const bob = res.body.agents.find((a: { username: string }) => a.username === 'bob');
    expect(bob.extension.registration).toEqual({ registered: false, contacts: [] });

    const gone = nextRegistration(sys(), '1001', (c) => !c.registered);
    await alice.stop();
    agents.length = 0;
    expect(await gone).toEqual({ extension: '1001', registered: false, contacts: 0 });
    expect(sys().deps.registrar.isRegistered('1001')).toBe(false);
  });

  it('refuses a wrong password and changes nothing', async () => {
    const bob = await registerWebAgent(sys(), 'bob', { sipPassword: 'wrong', noWait: true });
    agents.push(bob);
    await new Promise<void>((resolve) => {
      // sip.js reports the refusal as Unregistered after the failed request.
      if (bob.registerer.state === RegistererState.Unregistered) resolve();
      bob.registerer.stateChange.addListener((s) => s === RegistererState.Unregistered && resolve());
    });
    expect(sys().deps.registrar.isRegistered('1002')).toBe(false);
  });

  it('drops the binding when the WebSocket closes', async () => {
    const carol = await registerWebAgent(sys(), 'carol');
    const gone = nextRegistration(sys(), '1003', (c) => !c.registered);
    await carol.ua.transport.disconnect();
    await gone;
    expect(sys().deps.registrar.lookup('1003')).toEqual([]);
    await carol.ua.stop();
  });

  it('a logged-out session cannot refresh its registration', async () => {
    const alice = await registerWebAgent(sys(), 'alice');
    agents.push(alice);
    await alice.client.post('/api/auth/logout');
    const refused = new Promise<void>((resolve) => {
      alice.registerer.stateChange.addListener((s) => s === RegistererState.Unregistered && resolve());
    });
    await alice.registerer.register();
    await refused;
    // The binding of the ended session is dropped at the registrar's session check, too.
    await sys().deps.registrar.dropEndedSessions();
    expect(sys().deps.registrar.isRegistered('1001')).toBe(false);
  });

  it('refuses a cross-origin WebSocket upgrade and accepts a same-origin one', async () => {
    // The upgrade needs the session's token (or cookie); the Origin check comes on top of it.
    const alice = await loggedInAs(sys(), 'alice');
    const url = (await alice.get('/api/softphone/config')).body.web.webSocketUrl as string;
    expect(url).toMatch(/\/sip\?token=/);
    const host = new URL(sys().url).host;
    const status = (origin: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url, 'sip', { headers: { Origin: origin } });
        ws.on('unexpected-response', (_req, res) => {
          resolve(res.statusCode ?? 0);
          ws.terminate();
        });
        ws.on('open', () => {
          resolve(101);
          ws.close();
        });
        ws.on('error', () => {});
      });
    expect(await status('http://evil.example')).toBe(403);
    expect(await status(`http://${host}`)).toBe(101);
  });

  for (const transport of ['udp', 'tcp'] as const) {
    it(`registers desk phone 1004 from sipp over ${transport.toUpperCase()} with digest`, async () => {
      const up = nextRegistration(sys(), '1004', (c) => c.registered, 10_000);
      const down = nextRegistration(sys(), '1004', (c) => !c.registered, 15_000);
      down.catch(() => {});
      const phone = await startSippDeskPhone(sys(), { transport, holdMs: 1500 });
      await up;
      const [contact] = sys().deps.registrar.lookup('1004');
      expect(contact).toMatchObject({
        transport: transport.toUpperCase(),
        userId: null,
        userAgent: 'sipp desk phone',
      });
      expect(contact!.uri).toContain(`:${phone.port}`);
      await down;
      expect(await phone.exited, phone.output).toBe(0);
    });
  }
});
