import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseWavHeader, WebRtcLeg } from '@switchboard/media';
import { freeUdpRange } from '@switchboard/test-support';
import { type Invitation, RegistererState, SessionState } from 'sip.js';
import { describe, expect, it } from 'vitest';
import { type Defer, deferrer } from './defer';
import {
  freeMediaPorts,
  legAnsweringSdh,
  registerWebAgent,
  type SippProcess,
  startSipp,
  type WebAgent,
} from './sip-agents';
import { writeCarrierScenario } from './sipp/carrier-scenario';
import { nextEvent } from './switch-events';
import { cdrOf, TestSystem } from './test-system';

/**
 * A web agent's page reloads or loses its WebSocket mid-call (docs/agent-desk.md, "Resilience"): a sipp carrier
 * calls DID 5550177 → alice's web extension 1001 (recording on); alice is sip.js in Node with a
 * werift WebRTC "browser" that talks (a constant 0x42 G.711 stream, easy to tell from hold music).
 */

const DID = '5550177';
/** The switch's RTP range and the phones' beside it: one free range, so the two never overlap. */
async function ports(): Promise<{ rtp: [number, number]; phone: [number, number] }> {
  const base = await freeUdpRange(100);
  return { rtp: [base, base + 59], phone: [base + 60, base + 99] };
}

async function startSwitch(
  defer: Defer,
  graceSeconds: number,
  rtp: [number, number],
  inactivityTimeoutMs?: number,
): Promise<TestSystem> {
  const sys = await TestSystem.start(
    'sqlite',
    {
      TRUNK_URI: 'sip:127.0.0.1:9',
      RTP_PORT_MIN: String(rtp[0]),
      RTP_PORT_MAX: String(rtp[1]),
      AGENT_RECONNECT_GRACE_SECONDS: String(graceSeconds),
    },
    { trunks: { optionsIntervalMs: 0 }, calls: { inactivityTimeoutMs } },
  );
  defer(() => sys.stop());
  await sys.db
    .insertInto('inbound_routes')
    .values({ number: DID, target_type: 'extension', target_id: '1001', created_at: Date.now() })
    .execute();
  return sys;
}

/**
 * The customer's media (the carrier's SDP points here): counts what the switch sends — the agent's
 * constant stream vs anything else that is not silence (the hold music) and RFC 4733 events — and
 * talks back (PCMA, 50 packets a second) once the switch's media address is known, so the agent
 * hears the customer and the customer's leg never looks dead.
 */
class CustomerMedia {
  readonly socket: Socket = createSocket('udp4');
  agent = 0;
  music = 0;
  events = 0;
  private readonly waiters: Array<() => void> = [];
  private talk: NodeJS.Timeout | null = null;

  static async start(): Promise<CustomerMedia> {
    const m = new CustomerMedia();
    await new Promise<void>((r) => m.socket.bind(0, '127.0.0.1', r));
    m.socket.on('message', (msg, rinfo) => m.onPacket(msg, rinfo.address, rinfo.port));
    return m;
  }

  get port(): number {
    return this.socket.address().port;
  }

  private onPacket(msg: Buffer, address: string, port: number): void {
    if (msg.length < 12 || msg[0]! >> 6 !== 2) return;
    const pt = msg[1]! & 0x7f;
    if (pt === 101) this.events++;
    else if (pt === 0 || pt === 8) {
      const payload = msg.subarray(12);
      const silence = pt === 0 ? 0xff : 0xd5;
      const constant = payload.every((b) => b === payload[0]);
      if (constant && payload.length > 0 && payload[0] !== silence && payload[0] !== (silence ^ 0x80))
        this.agent++;
      else if (!constant) this.music++;
    }
    if (!this.talk) this.startTalking(address, port);
    for (const w of this.waiters.splice(0)) w();
  }

  private startTalking(address: string, port: number): void {
    const ssrc = 0x5eed;
    let seq = 0;
    let ts = 0;
    this.talk = setInterval(() => {
      const packet = Buffer.alloc(12 + 160, 0x33);
      packet[0] = 0x80;
      packet[1] = 8;
      packet.writeUInt16BE(seq++ & 0xffff, 2);
      packet.writeUInt32BE(ts >>> 0, 4);
      packet.writeUInt32BE(ssrc, 8);
      ts += 160;
      this.socket.send(packet, port, address);
    }, 20);
  }

  until(test: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(
        () =>
          reject(new Error(`customer media: ${what} not seen (agent ${this.agent}, music ${this.music})`)),
        timeoutMs,
      );
      const check = () => {
        if (test()) {
          clearTimeout(t);
          resolve();
        } else this.waiters.push(check);
      };
      check();
    });
  }

  close(): void {
    if (this.talk) clearInterval(this.talk);
    this.socket.close();
  }
}

/** The agent's "browser": a werift WebRTC peer that answers the switch's offer and talks once connected. */
interface Phone {
  leg: WebRtcLeg;
  /** Stops sending (the leg stays open): a media path that died while the WebSocket stayed up. */
  silence(): void;
  stop(): void;
}

function phoneFactory(range: [number, number], phones: Phone[]) {
  return () => {
    const leg = new WebRtcLeg({ publicAddress: '127.0.0.1', portRange: range, connectTimeoutMs: 6000 });
    let talk: NodeJS.Timeout | null = null;
    const phone: Phone = {
      leg,
      silence() {
        if (talk) clearInterval(talk);
        talk = null;
      },
      stop() {
        if (talk) clearInterval(talk);
        talk = null;
        leg.close();
      },
    };
    leg.once('connected', () => {
      talk = setInterval(() => leg.sendFrame(Buffer.alloc(160, 0x42)), 20);
    });
    phones.push(phone);
    return legAnsweringSdh(leg, () => phone.stop());
  };
}

async function carrierCall(defer: Defer, sys: TestSystem, mediaPort: number): Promise<SippProcess> {
  const carrier = await startSipp({
    // The carrier waits for the switch's BYE; its offer points at the customer's media.
    scenario: writeCarrierScenario({
      caller: '+12025550166',
      displayName: 'Carrier',
      media: { address: '127.0.0.1', port: mediaPort },
    }).file,
    transport: 'udp',
    remote: `127.0.0.1:${sys.sipPort}`,
    timeoutMs: 40_000,
    args: ['-s', DID, '-m', '1', '-mp', String(await freeMediaPorts()), '-trace_err'],
  });
  defer(() => {
    carrier.kill();
    return carrier.exited;
  });
  return carrier;
}

/** Alice answers the carrier's call; resolves once the customer hears her. */
async function connectedCall(defer: Defer, sys: TestSystem, range: [number, number]) {
  const customer = await CustomerMedia.start();
  defer(() => customer.close());
  const phones: Phone[] = [];
  defer(() => {
    for (const p of phones) p.stop();
  });
  const sessions: Invitation[] = [];
  const alice = await registerWebAgent(sys, 'alice', {
    delegate: {
      onInvite: (inv) => {
        sessions.push(inv);
        void inv.accept();
      },
    },
    sessionDescriptionHandlerFactory: phoneFactory(range, phones),
  });
  defer(() => (gone.has(alice) ? undefined : alice.stop()));
  const answered = nextEvent(sys, 'call', (e) => e.state === 'answered', 25_000);
  const carrier = await carrierCall(defer, sys, customer.port);
  const callId = (await answered).callId;
  await customer.until(() => customer.agent > 25, 'the agent talking');
  return { customer, phones, sessions, alice, carrier, callId };
}

/** Resolves once the agent's call session ends. */
function sessionEnded(session: Invitation): Promise<void> {
  return new Promise((resolve) => {
    session.stateChange.addListener((state) => {
      if (state === SessionState.Terminated) resolve();
    });
  });
}

const gone = new WeakSet<WebAgent>();

/**
 * The old page is gone: its UserAgent must not reconnect (sip.js would by default) nor be stopped
 * (stopping would try a BYE and an unregistration over the dead transport).
 */
function pageGone(agent: WebAgent): void {
  gone.add(agent);
  (agent.ua as unknown as { options: { reconnectionAttempts: number } }).options.reconnectionAttempts = 0;
}

/** The WebSocket the agent registered over, closed by the switch's side (a reload or a network drop). */
function dropAgentConnection(sys: TestSystem): void {
  const connection = sys.deps.registrar.lookup('1001')[0]?.flow.connection;
  if (!connection) throw new Error('1001 is not registered over a connection');
  connection.close();
}

describe('a web agent comes back to a call after a page reload or a WebSocket drop', () => {
  it('reload: the customer hears hold music, the new page gets the reconnect INVITE, the call is bridged again and recorded', {
    timeout: 60_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const range = await ports();
    const sys = await startSwitch(defer, 20, range.rtp);
    const { customer, phones, alice, carrier, callId } = await connectedCall(defer, sys, range.phone);

    // The page reloads: its peer connection and WebSocket go away at once, without a BYE.
    phones[0]!.stop();
    pageGone(alice);
    dropAgentConnection(sys);
    const music = customer.music;
    await customer.until(() => customer.music > music + 25, 'hold music while the agent is away');

    // The reloaded page registers (a new UserAgent, a new Contact) and auto-answers the switch's INVITE.
    const reconnects: Array<{ uuid: string | undefined; connectedFor: string | undefined }> = [];
    const invitations: Invitation[] = [];
    const again = await registerWebAgent(sys, 'alice', {
      client: alice.client,
      delegate: {
        onInvite: (inv) => {
          reconnects.push({
            uuid: inv.request.getHeader('X-Switchboard-Reconnect'),
            connectedFor: inv.request.getHeader('X-Switchboard-Connected-For'),
          });
          invitations.push(inv);
          void inv.accept();
        },
      },
      sessionDescriptionHandlerFactory: phoneFactory(range.phone, phones),
    });
    defer(() => again.stop());
    const heard = customer.agent;
    await customer.until(() => customer.agent > heard + 50, 'the agent again after the reconnection');
    expect(reconnects).toHaveLength(1);
    expect(reconnects[0]!.uuid).toBe(callId);
    expect(Number(reconnects[0]!.connectedFor)).toBeGreaterThan(500);
    // The music stopped when the agent was bridged again; the agent hears the customer again.
    const musicAfter = customer.music;
    const agentNow = customer.agent;
    await customer.until(() => customer.agent > agentNow + 50, 'more of the agent');
    expect(customer.music - musicAfter).toBeLessThan(5);
    expect(phones[1]!.leg.quality().packetsReceived).toBeGreaterThan(50);
    expect(sys.deps.calls.calls.get(callId)?.state).toBe('connected');

    // The agent hangs up (BYE): the call ends at once, normally.
    const ended = nextEvent(sys, 'call', (e) => e.callId === callId && e.state === 'ended');
    await invitations[0]!.bye();
    await ended;
    expect(await carrier.exited, carrier.output).toBe(0);
    const cdr = await cdrOf(sys, callId);
    expect(cdr).toMatchObject({
      disposition: 'answered',
      hangup_cause: 'normal_clearing',
      hangup_side: 'agent',
    });

    // The recording went on in the same file: the agent's channel (right) has her voice at the end.
    const rec = await sys.db
      .selectFrom('recordings')
      .selectAll()
      .where('id', '=', cdr.recording_id!)
      .executeTakeFirstOrThrow();
    expect(rec.status).toBe('complete');
    const wav = readFileSync(path.join(sys.deps.config.recordingsDir, rec.path));
    const info = parseWavHeader(wav);
    const samples = new Int16Array(
      wav.buffer.slice(wav.byteOffset + info.dataOffset, wav.byteOffset + info.dataOffset + info.dataBytes),
    );
    const lastSecond = samples.subarray(Math.max(0, samples.length - 16000));
    let agentVoice = 0;
    for (let i = 1; i < lastSecond.length; i += 2) if (lastSecond[i] !== 0) agentVoice++;
    expect(agentVoice).toBeGreaterThan(2000);
  });

  it('the agent does not come back within the grace period: the call ends with agent_lost', {
    timeout: 50_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const range = await ports();
    const sys = await startSwitch(defer, 2, range.rtp);
    const { customer, phones, alice, carrier, callId } = await connectedCall(defer, sys, range.phone);
    const ended = nextEvent(sys, 'call', (e) => e.callId === callId && e.state === 'ended');

    phones[0]!.stop();
    pageGone(alice);
    dropAgentConnection(sys);
    const music = customer.music;
    await customer.until(() => customer.music > music + 25, 'hold music while the agent is away');
    expect(sys.deps.calls.calls.get(callId)?.state).toBe('connected');

    const event = await ended;
    expect(event.disposition).toBe('answered');
    expect(await carrier.exited, carrier.output).toBe(0);
    expect(await cdrOf(sys, callId)).toMatchObject({
      disposition: 'answered',
      hangup_cause: 'agent_lost',
      hangup_side: 'agent',
    });
  });

  it('WebSocket drop only: the audio never stops, and after re-registering in-dialog requests go both ways', {
    timeout: 50_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const range = await ports();
    const sys = await startSwitch(defer, 20, range.rtp);
    const { customer, sessions, alice, carrier, callId } = await connectedCall(defer, sys, range.phone);

    const disconnected = new Promise<void>((resolve) => {
      const t = alice.ua.transport;
      const previous = t.onDisconnect;
      t.onDisconnect = (error) => {
        previous?.(error);
        resolve();
      };
    });
    const music = customer.music;
    dropAgentConnection(sys);
    await disconnected;
    // While the signalling is down the media path (UDP) still carries the agent to the customer.
    const heard = customer.agent;
    await customer.until(() => customer.agent > heard + 25, 'the agent while the WebSocket is down');

    // sip.js reconnects and registers again with the same Contact.
    await alice.ua.reconnect();
    await alice.registerer.register();
    await alice.waitState(RegistererState.Registered);
    const agentNow = customer.agent;
    await customer.until(() => customer.agent > agentNow + 25, 'the agent after re-registering');
    expect(customer.music - music).toBeLessThan(5);
    const session = sessions[0]!;
    expect(session.state).toBe(SessionState.Established);
    // The same dialog goes on (no reconnect INVITE), now bound to the new registration's connection.
    expect(sessions).toHaveLength(1);
    const call = sys.deps.calls.calls.get(callId)!;
    expect(call.callee.dialog?.flow?.connection).toBe(sys.deps.registrar.lookup('1001')[0]?.flow.connection);
    expect(call.callee.dialog?.flow?.connection?.closed).toBe(false);

    // Agent → switch over the new connection: INFO DTMF reaches the customer as RFC 4733.
    const infoAnswered = new Promise<number>((resolve) => {
      void session.info({
        requestOptions: {
          body: {
            contentDisposition: 'render',
            contentType: 'application/dtmf-relay',
            content: 'Signal=5\r\nDuration=100',
          },
        },
        requestDelegate: { onAccept: (r) => resolve(r.message.statusCode ?? 0) },
      });
    });
    expect(await infoAnswered).toBe(200);
    await customer.until(() => customer.events > 0, 'the DTMF event');

    // Switch → agent over the new connection: the hang-up's BYE ends the agent's session.
    const terminated = sessionEnded(session);
    expect((await alice.client.post(`/api/calls/${callId}/hangup`, {})).status).toBeLessThan(300);
    await terminated;
    expect(await carrier.exited, carrier.output).toBe(0);
    expect(await cdrOf(sys, callId)).toMatchObject({ disposition: 'answered', hangup_cause: 'agent_hangup' });
  });

  it('media lost while the WebSocket stays up: the switch calls the same page back and ends the old session', {
    timeout: 50_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const range = await ports();
    const sys = await startSwitch(defer, 20, range.rtp, 3000);
    const { customer, phones, sessions, carrier, callId } = await connectedCall(defer, sys, range.phone);
    expect(sessions).toHaveLength(1);
    const oldSession = sessions[0]!;
    const oldEnded = sessionEnded(oldSession);

    // The agent's RTP stops (ICE broke, the network changed) but its signalling is fine.
    phones[0]!.silence();
    // The switch notices the silence (inactivity timeout), puts the customer on hold music and, the
    // agent being registered, sends the same UserAgent a reconnect INVITE at once (answered by the
    // delegate: a new peer); then it ends the dead session with a BYE.
    const heard = customer.agent;
    // Inactivity (3 s), the reconnect INVITE, a new ICE + DTLS handshake (X25519 in JS on both ends)
    // and 1 s of audio: ≈ 5–6 s on an idle machine, so allow for a loaded one.
    await customer.until(() => customer.agent > heard + 50, 'the agent on the new media path', 20_000);
    await oldEnded;
    expect(sessions).toHaveLength(2);
    expect(sessions[1]!.request.getHeader('X-Switchboard-Reconnect')).toBe(callId);
    expect(sys.deps.calls.calls.get(callId)?.state).toBe('connected');

    const ended = nextEvent(sys, 'call', (e) => e.callId === callId && e.state === 'ended');
    await sessions[1]!.bye();
    await ended;
    expect(await carrier.exited, carrier.output).toBe(0);
    expect(await cdrOf(sys, callId)).toMatchObject({ hangup_cause: 'normal_clearing', hangup_side: 'agent' });
  });

  it('the call ends while the agent WebSocket is down: the page gets its BYE once it registers again', {
    timeout: 50_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const range = await ports();
    const sys = await startSwitch(defer, 20, range.rtp);
    const { sessions, alice, carrier, callId } = await connectedCall(defer, sys, range.phone);
    const session = sessions[0]!;
    const terminated = sessionEnded(session);
    const disconnected = new Promise<void>((resolve) => {
      const t = alice.ua.transport;
      const previous = t.onDisconnect;
      t.onDisconnect = (error) => {
        previous?.(error);
        resolve();
      };
    });
    dropAgentConnection(sys);
    await disconnected;

    // The other side ends the call meanwhile (here through the API): its BYE cannot reach the page.
    const ended = nextEvent(sys, 'call', (e) => e.callId === callId && e.state === 'ended');
    expect((await alice.client.post(`/api/calls/${callId}/hangup`, {})).status).toBeLessThan(300);
    await ended;
    expect(await carrier.exited, carrier.output).toBe(0);
    expect(session.state).toBe(SessionState.Established);

    await alice.ua.reconnect();
    await alice.registerer.register();
    await terminated;
    expect(sessions).toHaveLength(1);
  });
});
