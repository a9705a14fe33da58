import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseWavHeader } from '@switchboard/media';
import type { LiveEvent } from '@switchboard/shared';
import { freeRange } from '@switchboard/test-support';
import { expect } from 'vitest';
import { carrierUasScenario, SoftPhone } from './call-peers';
import type { Defer } from './defer';
import { freeMediaPorts, startSipp } from './sip-agents';
import { nextEvent, recordEvents } from './switch-events';
import { cdrOf, TestSystem, userId } from './test-system';

/**
 * Shared set-up of the call-control tests: a switch, desk phones for the demo users as
 * SoftPhones (their extensions turned into SIP extensions with a secret), and a customer phone that
 * calls in from an unregistered address, i.e. as the carrier (TRUNK_URI is 127.0.0.1).
 */

/** SQLite always; PostgreSQL too when TEST_DATABASE_URL is set (CDR writes: transfer chain, legs). */
export const databases: Array<'sqlite' | 'postgres'> = process.env.TEST_DATABASE_URL
  ? ['sqlite', 'postgres']
  : ['sqlite'];

export const extensionOf = { alice: '1001', bob: '1002', carol: '1003', dave: '1004', sam: '2001' } as const;
export type User = keyof typeof extensionOf;

export async function startSwitch(
  defer: Defer,
  env: Record<string, string> = {},
  kind: 'sqlite' | 'postgres' = 'sqlite',
): Promise<TestSystem> {
  const rtp = await freeRange(100);
  const sys = await TestSystem.start(
    kind,
    { TRUNK_URI: 'sip:127.0.0.1:9', RTP_PORT_MIN: String(rtp.min), RTP_PORT_MAX: String(rtp.max), ...env },
    { trunks: { optionsIntervalMs: 0 }, calls: { ringTimeoutMs: 3000 } },
  );
  defer(() => sys.stop());
  return sys;
}

/** A desk phone registered for `user` (their extension made a SIP one for the test). */
export async function deskPhone(defer: Defer, sys: TestSystem, user: User): Promise<SoftPhone> {
  const ext = extensionOf[user];
  const secret = `${user}-secret`;
  await sys.db
    .updateTable('extensions')
    .set({ type: 'sip', sip_secret: secret })
    .where('number', '=', ext)
    .execute();
  const phone = await SoftPhone.start(await freeRange(20));
  defer(() => phone.close());
  await phone.register(sys, ext, secret);
  return phone;
}

export async function customerPhone(defer: Defer): Promise<SoftPhone> {
  const phone = await SoftPhone.start(await freeRange(20));
  defer(() => phone.close());
  return phone;
}

/**
 * The customer calls the DID 5550104 (→ dave's extension 1004) and dave answers: the call's ID and
 * both phones, audio checked both ways.
 */
export async function customerCallsDave(defer: Defer, sys: TestSystem, dave: SoftPhone) {
  const customer = await customerPhone(defer);
  const answered = nextEvent(sys, 'call', (e) => e.state === 'answered', 8000);
  const placed = customer.call(sys, '5550104', '+12025550199');
  const inc = await dave.nextInvite();
  const callId = inc.request.get('x-switchboard-call-id') ?? '';
  await dave.answer(inc);
  const res = await placed;
  if (res.status !== 200) throw new Error(`customer call: ${res.status}`);
  await answered;
  return { customer, callId, invite: inc };
}

/** `speaker` talks until each of `listeners` has heard at least `frames` more loud frames. */
export async function hears(speaker: SoftPhone, listeners: SoftPhone[], frames = 10, timeoutMs = 6000) {
  const start = listeners.map((l) => l.heard);
  let talking = true;
  const talk = (async () => {
    while (talking) await speaker.talk(100);
  })();
  try {
    await Promise.all(
      listeners.map((l, i) =>
        l.until(() => l.heard - start[i]! >= frames, timeoutMs, 'audio from the speaker'),
      ),
    );
  } finally {
    talking = false;
    await talk;
  }
}

/**
 * A call's legs in the order they were opened. The caller's and callee's rows are inserted
 * concurrently (ids race on PostgreSQL), so order by start time, then by `-a` before `-b`.
 */
export async function legs(sys: TestSystem, cdrId: number) {
  return sys.db
    .selectFrom('call_legs')
    .selectAll()
    .where('call_id', '=', cdrId)
    .orderBy('started_at')
    .orderBy('leg_uuid')
    .execute();
}

/**
 * Resolves once `events` (from recordEvents) holds `count` events that `test` accepts — race-free
 * for events published before the caller started waiting.
 */
export function eventCount(
  sys: TestSystem,
  events: LiveEvent[],
  test: (e: LiveEvent) => boolean,
  count = 1,
  timeoutMs = 8000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => events.filter(test).length >= count;
    if (done()) return resolve();
    const t = setTimeout(() => {
      off();
      reject(new Error(`only ${events.filter(test).length} of ${count} events in time`));
    }, timeoutMs);
    // Subscribed after recordEvents, so `events` already has the event when this runs.
    const off = sys.deps.events.subscribe({ userId: 0, role: 'admin' }, () => {
      if (!done()) return;
      clearTimeout(t);
      off();
      resolve();
    });
  });
}

/**
 * The consult tests' start: a switch recording its events, dave's and sam's desk phones, the
 * customer's call answered by dave, and dave's API session.
 */
export async function daveInCallSamFree(defer: Defer) {
  const sys = await startSwitch(defer);
  const events = recordEvents(defer, sys);
  const dave = await deskPhone(defer, sys, 'dave');
  const sam = await deskPhone(defer, sys, 'sam');
  const samId = await userId(sys, 'sam');
  const { customer, callId } = await customerCallsDave(defer, sys, dave);
  const api = sys.client();
  await api.login('dave');
  return { sys, events, dave, sam, samId, customer, callId, api };
}

/** dave consults sam through the API and sam answers; resolves once the `count`-th consult is answered. */
export async function samAnswersConsult(call: Awaited<ReturnType<typeof daveInCallSamFree>>, count = 1) {
  const { sys, events, sam, samId, callId, api } = call;
  expect(
    (await api.post(`/api/calls/${callId}/consult`, { to: { kind: 'user', userId: samId } })).status,
  ).toBe(200);
  await sam.answer(await sam.nextInvite());
  await eventCount(
    sys,
    events,
    (e) => e.type === 'consult' && e.callId === callId && e.state === 'answered',
    count,
  );
}

/**
 * A switch whose trunk is a sipp carrier (UAS, RTP echo) that takes one call and fails it unless
 * it is to `expectNumber`.
 */
export async function switchWithOutsideCarrier(defer: Defer, expectNumber: string) {
  const mp = await freeMediaPorts();
  const carrier = await startSipp({
    scenario: carrierUasScenario(false, expectNumber),
    transport: 'udp',
    timeoutMs: 30_000,
    args: ['-m', '1', '-mi', '127.0.0.1', '-mp', String(mp), '-rtp_echo', '-trace_err'],
  });
  defer(() => {
    carrier.kill();
    return carrier.exited;
  });
  const sys = await startSwitch(defer, { TRUNK_URI: `sip:127.0.0.1:${carrier.port}` });
  await sys.db.updateTable('trunks').set({ register: 0 }).execute();
  await sys.deps.trunks.reload();
  return { sys, carrier };
}

/** The call's CDR once the call-control engine has written its transfer chain. */
export async function closedCdr(sys: TestSystem, callId: string) {
  await sys.deps.callControl.flush(callId);
  return cdrOf(sys, callId);
}

/** Loud samples per channel of a stereo recording (left: customer, right: agent side), and where they are. */
export interface RecordedVoices {
  channels: number;
  customerLoud: number;
  agentLoud: number;
  /** Sample index of the first loud agent-side sample (-1: none) and of the last loud customer one. */
  firstAgentLoud: number;
  lastCustomerLoud: number;
}

/** The call's recording (complete) read back as loud samples per channel. */
export async function recordedVoices(sys: TestSystem, recordingId: number): Promise<RecordedVoices> {
  const rec = await sys.db
    .selectFrom('recordings')
    .selectAll()
    .where('id', '=', recordingId)
    .executeTakeFirstOrThrow();
  expect(rec.status).toBe('complete');
  const wav = readFileSync(path.resolve(sys.deps.config.recordingsDir, rec.path));
  const info = parseWavHeader(wav);
  const out: RecordedVoices = {
    channels: info.channels,
    customerLoud: 0,
    agentLoud: 0,
    firstAgentLoud: -1,
    lastCustomerLoud: -1,
  };
  for (let i = 0; info.dataOffset + i * 4 + 4 <= info.dataOffset + info.dataBytes; i++) {
    const o = info.dataOffset + i * 4;
    if (Math.abs(wav.readInt16LE(o)) > 1000) {
      out.customerLoud++;
      out.lastCustomerLoud = i;
    }
    if (Math.abs(wav.readInt16LE(o + 2)) > 1000) {
      out.agentLoud++;
      if (out.firstAgentLoud < 0) out.firstAgentLoud = i;
    }
  }
  return out;
}
