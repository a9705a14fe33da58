import { createServer, type Server } from 'node:http';
import { Inviter, Registerer, RegistererState, type Session, SessionState, UserAgent } from 'sip.js';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createAnswer, createOffer, type SipStack } from '../src/index';
import { runTestRegistrar } from './apps/test-registrar';
import { testStack } from './helpers';

// sip.js looks for a browser WebSocket; in Node the `ws` package stands in for it.
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

/** sip.js needs a SessionDescriptionHandler; without WebRTC in Node, a static G.711 one does. */
function fakeSdhFactory() {
  return () => {
    let remote: string | undefined;
    return {
      close() {},
      async getDescription() {
        const body = remote
          ? (createAnswer(remote, { address: '127.0.0.1', port: 20100 })?.sdp ?? '')
          : createOffer({ address: '127.0.0.1', port: 20100 });
        return { body, contentType: 'application/sdp' };
      },
      hasDescription: (contentType: string) => contentType === 'application/sdp',
      async setDescription(sdp: string) {
        remote = sdp;
      },
      sendDtmf: () => true,
    };
  };
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function waitState<T>(emitter: { addListener(fn: (s: T) => void): void }, wanted: T): Promise<void> {
  return new Promise((resolve) => emitter.addListener((s) => s === wanted && resolve()));
}

describe('sip.js 0.21 UserAgent in Node over WebSocket', () => {
  it('registers with digest auth, places an INVITE and ends it', async () => {
    const stack: SipStack = await testStack();
    cleanups.push(() => stack.close());
    const http: Server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise<void>((r) => http.close(() => r())));
    const upgrades: string[] = [];
    const ws = stack.attachWebSocket(http, {
      path: '/sip',
      verifyUpgrade: (req) => {
        upgrades.push(req.url ?? '');
        return true;
      },
    });
    const port = (http.address() as { port: number }).port;

    const registrar = runTestRegistrar(stack, { '1001': 'agent-pw' });
    const seen: string[] = [];
    let byeReceived!: () => void;
    const bye = new Promise<void>((r) => {
      byeReceived = r;
    });
    stack.onRequest = (inc) => {
      seen.push(inc.method);
      if (inc.method === 'REGISTER') return void registrar.handleRegister(inc);
      if (inc.method !== 'INVITE') return void inc.reply(405);
      const dialog = inc.progress(180);
      dialog.onRequest = (r) => {
        seen.push(r.method);
        r.reply(200);
        if (r.method === 'BYE') byeReceived();
      };
      const answer = createAnswer(inc.request.bodyText, { address: '127.0.0.1', port: 20000 });
      if (!answer) return void inc.reply(488);
      inc.accept({ body: answer.sdp, contentType: 'application/sdp' });
    };

    const ua = new UserAgent({
      uri: UserAgent.makeURI('sip:1001@127.0.0.1'),
      authorizationUsername: '1001',
      authorizationPassword: 'agent-pw',
      transportOptions: { server: `ws://127.0.0.1:${port}/sip` },
      sessionDescriptionHandlerFactory: fakeSdhFactory() as never,
      logLevel: 'error',
    });
    await ua.start();
    cleanups.push(() => ua.stop());

    const registerer = new Registerer(ua);
    const registered = waitState(registerer.stateChange, RegistererState.Registered);
    await registerer.register();
    await registered;
    expect(registrar.bindings.get('1001')?.flow.transport).toBe('WS');
    expect(ws.connectionCount()).toBe(1);
    expect(upgrades).toEqual(['/sip']);

    const inviter = new Inviter(ua, UserAgent.makeURI('sip:2000@127.0.0.1')!);
    const session: Session = inviter;
    const established = waitState(session.stateChange, SessionState.Established);
    await inviter.invite();
    await established;
    const terminated = waitState(session.stateChange, SessionState.Terminated);
    await session.bye();
    await Promise.all([terminated, bye]);
    expect(seen).toEqual(['REGISTER', 'REGISTER', 'INVITE', 'BYE']);
    expect(stack.dialogs.size).toBe(0);

    // The other direction, as for a queue call to an agent: the stack calls the registered
    // browser over its WebSocket flow (its Contact host is a made-up .invalid name), then hangs up.
    const incoming = new Promise<Session>((resolve) => {
      ua.delegate = {
        onInvite: (invitation) => {
          resolve(invitation);
          void invitation.accept();
        },
      };
    });
    const binding = registrar.bindings.get('1001')!;
    expect(binding.contact.uri.toString()).toContain('.invalid');
    const call = stack.invite(
      stack.createRequest('INVITE', binding.contact.uri, {
        from: 'sip:queue@127.0.0.1',
        to: 'sip:1001@127.0.0.1',
        transport: 'WS',
        body: createOffer({ address: '127.0.0.1', port: 20004 }),
        contentType: 'application/sdp',
      }),
      { flow: binding.flow },
    );
    const agentSession = await incoming;
    const result = await call.done;
    expect(result.response.status).toBe(200);
    const agentEnded = waitState(agentSession.stateChange, SessionState.Terminated);
    expect((await result.dialog!.bye()).status).toBe(200);
    await agentEnded;
  }, 20_000);
});
