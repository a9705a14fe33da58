import { createSocket, type Socket } from 'node:dgram';
import { readFileSync, writeFileSync } from 'node:fs';
import { PromptPlayer, WebRtcLeg } from '@switchboard/media';
import type { LiveEvent } from '@switchboard/shared';
import { SipStack } from '@switchboard/sip';
import { freeUdpRange } from '@switchboard/test-support';
import type { Invitation } from 'sip.js';
import { expect } from 'vitest';
import { type DeskMode, deskPhoneScenario, MediaPeer, registerContact } from './call-peers';
import type { Defer } from './defer';
import { freeMediaPorts, legAnsweringSdh, registerWebAgent, type SippProcess, startSipp } from './sip-agents';
import { writeCarrierScenario } from './sipp/carrier-scenario';
import { TestSystem } from './test-system';

/**
 * Shared setup of the queue call tests: the switch with the demo data's support queue
 * (DID 5550101; members carol and dave), sipp carriers and desk phones, SipStack callers whose RTP is
 * kept for inspection, and small awaiters for events and CDRs.
 */

/** The switch on SQLite (no trunk keep-alives), the support queue updated with `queue`. */
export async function startSwitch(defer: Defer, queue: Record<string, number | string | null> = {}) {
  const min = await freeUdpRange(100);
  const sys = await TestSystem.start(
    'sqlite',
    { TRUNK_URI: 'sip:127.0.0.1:9', RTP_PORT_MIN: String(min), RTP_PORT_MAX: String(min + 99) },
    { trunks: { optionsIntervalMs: 0 } },
  );
  defer(() => sys.stop());
  // Announcements are off unless a test asks for them: they would only slow other tests' media checks down.
  await sys.db
    .updateTable('queues')
    .set({ announce_interval_s: 0, ...queue })
    .where('name', '=', 'support')
    .execute();
  await sys.deps.queues.reload();
  return sys;
}

export async function ids(sys: TestSystem) {
  const users = await sys.db.selectFrom('users').select(['id', 'username']).execute();
  const id = (name: string) => users.find((u) => u.username === name)!.id;
  const support = await sys.db
    .selectFrom('queues')
    .select('id')
    .where('name', '=', 'support')
    .executeTakeFirstOrThrow();
  return { dave: id('dave'), carol: id('carol'), support: support.id };
}

/** Desk phone 1004 (sipp UAS) that also checks the INVITE names the queue in X-Switchboard-Queue. */
export async function startQueueDesk(
  defer: Defer,
  sys: TestSystem,
  mode: DeskMode,
  mediaPort: number,
  fromPattern = '',
  queue = 'support',
) {
  const file = deskPhoneScenario(mode, mediaPort);
  const fromCheck = fromPattern
    ? `<ereg regexp="${fromPattern}" search_in="hdr" header="From:" check_it="true" assign_to="f" />`
    : '';
  const fromLog = fromPattern ? ' from [$f]' : '';
  const xml = readFileSync(file, 'utf8').replace(
    '<recv request="INVITE" />',
    `<recv request="INVITE"><action><ereg regexp="^ *${queue}$" search_in="hdr" header="X-Switchboard-Queue:" check_it="true" assign_to="q" />${fromCheck}</action></recv><nop><action><log message="queue [$q]${fromLog}" /></action></nop>`,
  );
  writeFileSync(file, xml);
  const desk = await startSipp({
    scenario: file,
    transport: 'udp',
    timeoutMs: 30_000,
    args: ['-m', '1', '-trace_err'],
  });
  defer(() => {
    desk.kill();
    return desk.exited;
  });
  const reg = await registerContact(sys, desk.port);
  defer(() => reg.close());
  return desk;
}

/**
 * dave at his desk phone 1004 (a sipp UAS in `mode`, its RTP at `media`), logged in to the API and
 * idle — or paused with `paused` as the reason.
 */
export async function daveAtDesk(
  defer: Defer,
  sys: TestSystem,
  mode: DeskMode,
  options: { paused?: string; fromPattern?: string; queue?: string } = {},
) {
  const media = await MediaPeer.start();
  defer(() => media.close());
  const desk = await startQueueDesk(defer, sys, mode, media.port, options.fromPattern ?? '', options.queue);
  const client = sys.client();
  await client.login('dave');
  const state = options.paused ? { status: 'paused', reason: options.paused } : { status: 'idle' };
  expect((await client.put('/api/agents/me/state', state)).status).toBe(200);
  return { media, desk, client };
}

/** Every event of a type from now on (admin's view), for order checks. */
export function collectEvents<T extends LiveEvent['type']>(
  defer: Defer,
  sys: TestSystem,
  type: T,
): Array<Extract<LiveEvent, { type: T }>> {
  const seen: Array<Extract<LiveEvent, { type: T }>> = [];
  const off = sys.deps.events.subscribe({ userId: 0, role: 'admin' }, (p) => {
    if (p.event.type === type) seen.push(p.event as Extract<LiveEvent, { type: T }>);
  });
  defer(off);
  return seen;
}

/** The caller's ear: keeps every PCMU payload the switch sends, in order. */
export class RtpEar {
  readonly socket: Socket = createSocket('udp4');
  readonly frames: Buffer[] = [];
  private readonly waiters: Array<() => void> = [];

  static async start(): Promise<RtpEar> {
    const ear = new RtpEar();
    await new Promise<void>((r) => ear.socket.bind(0, '127.0.0.1', r));
    ear.socket.on('message', (msg) => {
      if (msg.length < 12 || msg[0]! >> 6 !== 2 || (msg[1]! & 0x7f) !== 0) return;
      const cc = msg[0]! & 0x0f;
      ear.frames.push(Buffer.from(msg.subarray(12 + cc * 4)));
      for (const w of ear.waiters.splice(0)) w();
    });
    return ear;
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** Index of the first frame of `seq` received contiguously at or after `from`, or -1. */
  indexOf(seq: Buffer[], from = 0): number {
    outer: for (let i = from; i + seq.length <= this.frames.length; i++) {
      for (let j = 0; j < seq.length; j++) if (!this.frames[i + j]!.equals(seq[j]!)) continue outer;
      return i;
    }
    return -1;
  }

  until(test: () => boolean, timeoutMs = 8000): Promise<void> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('rtp ear: condition not met in time')), timeoutMs);
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
    this.socket.close();
  }
}

/** The prompts as the switch sends them to a PCMU caller (20 ms frames). */
const prompts = new PromptPlayer();
export function promptFrames(...names: string[]): Buffer[] {
  return names.flatMap((n) => prompts.frames(n, 'PCMU'));
}

/**
 * A carrier caller as a SIP stack in the test (same address as the trunk) whose RTP port keeps what
 * it hears (`ear.frames`); `progress` collects the provisional responses. Resolves once it is sent.
 */
export async function stackInvite(defer: Defer, sys: TestSystem, did: string, number = '+12025550123') {
  const ear = await RtpEar.start();
  defer(() => ear.close());
  const stack = await SipStack.listen({ host: '127.0.0.1', port: 0, transports: ['UDP'] });
  defer(() => stack.close());
  const offer = [
    'v=0',
    'o=carrier 1 1 IN IP4 127.0.0.1',
    's=-',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=audio ${ear.port} RTP/AVP 0`,
    'a=rtpmap:0 PCMU/8000',
    'a=sendrecv',
    '',
  ].join('\r\n');
  const progress: number[] = [];
  const invite = stack.invite(
    stack.createRequest('INVITE', `sip:${did}@127.0.0.1:${sys.sipPort}`, {
      from: `<sip:${number}@127.0.0.1>`,
      to: `<sip:${did}@127.0.0.1>`,
      body: offer,
      contentType: 'application/sdp',
    }),
    { onProgress: (res) => progress.push(res.status) },
  );
  return { ear, stack, progress, done: invite.done };
}

/** A `stackInvite` caller the switch answers (200): waiting in a queue, hearing its music. */
export async function stackCaller(defer: Defer, sys: TestSystem, did: string, number = '+12025550123') {
  const { ear, stack, done } = await stackInvite(defer, sys, did, number);
  const { response, dialog } = await done;
  expect(response.status).toBe(200);
  const ended = new Promise<string>((resolve) => {
    dialog!.onTerminated = resolve;
  });
  return { ear, dialog: dialog!, ended, stack };
}

/** Every live event (admin's view) from now on, with a waiter that also looks at the past. */
export function eventLog(defer: Defer, sys: TestSystem) {
  const all: LiveEvent[] = [];
  const waiters = new Set<() => void>();
  const off = sys.deps.events.subscribe({ userId: 0, role: 'admin' }, (p) => {
    all.push(p.event);
    for (const w of [...waiters]) w();
  });
  defer(off);
  return {
    all,
    /** The first event (past or future) of `type` that `test` accepts. */
    find<T extends LiveEvent['type']>(
      type: T,
      test: (e: Extract<LiveEvent, { type: T }>) => boolean,
      timeoutMs = 10_000,
    ): Promise<Extract<LiveEvent, { type: T }>> {
      const match = () =>
        all.find((e) => e.type === type && test(e as Extract<LiveEvent, { type: T }>)) as
          | Extract<LiveEvent, { type: T }>
          | undefined;
      return new Promise((resolve, reject) => {
        const check = () => {
          const e = match();
          if (!e) return;
          waiters.delete(check);
          clearTimeout(t);
          resolve(e);
        };
        const t = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${type} event in time`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

/**
 * One sipp carrier call into `did` that stays until the switch hangs up; resolves with the switch's
 * call id once the caller is waiting in `queueId` (so calls placed one after another queue in order).
 */
export async function queueCall(
  defer: Defer,
  sys: TestSystem,
  log: ReturnType<typeof eventLog>,
  did: string,
  queueId: number,
): Promise<{ callId: string; carrier: SippProcess }> {
  const before = new Set(
    log.all.flatMap((e) => (e.type === 'queue_waiting' && e.change === 'joined' ? [e.callId] : [])),
  );
  const carrier = await startSipp({
    // The caller stays until the switch hangs up (the agent ends the call).
    scenario: writeCarrierScenario({
      caller: '+12025550177',
      displayName: 'Carrier',
      media: { address: '127.0.0.1' },
    }).file,
    transport: 'udp',
    remote: `127.0.0.1:${sys.sipPort}`,
    timeoutMs: 60_000,
    args: ['-s', did, '-m', '1', '-mp', String(await freeMediaPorts()), '-trace_err'],
  });
  defer(() => {
    carrier.kill();
    return carrier.exited;
  });
  const joined = await Promise.race([
    log.find('queue_waiting', (e) => e.queueId === queueId && e.change === 'joined' && !before.has(e.callId)),
    carrier.exited.then((code) => {
      throw new Error(`the carrier ended (${code}) before its call was waiting: ${carrier.output}`);
    }),
  ]);
  return { callId: joined.callId, carrier };
}

/**
 * An agent's browser phone: sip.js registered over WebSocket with a real WebRTC leg
 * (packages/media) as its media, so the switch's offer is answered the way a browser would.
 * `mode` 'answer' accepts each call and hangs up after `talkMs`; 'ring' lets it ring.
 */
export async function queueAgent(
  defer: Defer,
  sys: TestSystem,
  username: string,
  options: { mode?: 'answer' | 'ring'; talkMs?: number } = {},
) {
  const first = await freeUdpRange(20);
  const range: [number, number] = [first, first + 19];
  const legs: WebRtcLeg[] = [];
  const invites: Array<{ at: number; invitation: Invitation }> = [];
  const state = { mode: options.mode ?? 'answer', talkMs: options.talkMs ?? 400 };
  const web = await registerWebAgent(sys, username, {
    delegate: {
      onInvite: (invitation) => {
        invites.push({ at: Date.now(), invitation });
        if (state.mode !== 'answer') return;
        void invitation.accept().then(
          () => setTimeout(() => void invitation.bye().catch(() => {}), state.talkMs),
          () => {},
        );
      },
    },
    sessionDescriptionHandlerFactory: () => {
      const leg = new WebRtcLeg({ publicAddress: '127.0.0.1', portRange: range, connectTimeoutMs: 6000 });
      legs.push(leg);
      return legAnsweringSdh(leg, () => leg.close());
    },
  });
  defer(async () => {
    for (const l of legs) l.close();
    await web.stop();
  });
  const me = await web.client.get('/api/agents/me/state');
  return {
    web,
    userId: (me.body as { userId: number }).userId,
    invites,
    state,
    async setState(status: 'idle' | 'paused', reason?: string) {
      const res = await web.client.put('/api/agents/me/state', { status, ...(reason ? { reason } : {}) });
      expect(res.status).toBe(200);
    },
  };
}
