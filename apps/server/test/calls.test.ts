import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseWavHeader } from '@switchboard/media';
import { describe, expect, it } from 'vitest';
import { type CarrierCallOptions, carrierScenario, MediaPeer, startDesk } from './call-peers';
import { freePort, startSipp } from './sip-agents';
import { TestSystem } from './test-system';

/** Registers a clean-up for the current test (tests run concurrently: no shared list). */
type Defer = (fn: () => Promise<unknown> | unknown) => void;

let rtpBase = 40000 + (process.pid % 50) * 100;
async function startSwitch(
  defer: Defer,
  env: Record<string, string> = {},
  ringTimeoutMs = 4000,
): Promise<TestSystem> {
  const min = rtpBase;
  rtpBase += 100;
  const sys = await TestSystem.start(
    'sqlite',
    { TRUNK_URI: 'sip:127.0.0.1:9', RTP_PORT_MIN: String(min), RTP_PORT_MAX: String(min + 99), ...env },
    { trunks: { optionsIntervalMs: 0 }, calls: { ringTimeoutMs } },
  );
  defer(() => sys.stop());
  return sys;
}

async function carrierCall(defer: Defer, sys: TestSystem, o: CarrierCallOptions) {
  const mp = await freePort();
  const carrier = await startSipp({
    scenario: carrierScenario(o),
    transport: 'udp',
    remote: `127.0.0.1:${sys.sipPort}`,
    timeoutMs: 20_000,
    args: ['-s', o.did, '-m', '1', '-mi', '127.0.0.1', '-mp', String(mp), '-trace_err'],
  });
  defer(() => {
    carrier.kill();
    return carrier.exited;
  });
  return carrier;
}

/** RMS level of each channel of a stereo PCM16 WAV. */
export function channelLevels(buf: Buffer) {
  const info = parseWavHeader(buf);
  const pcm = new Int16Array(
    buf.buffer.slice(buf.byteOffset + 44, buf.byteOffset + buf.length - ((buf.length - 44) % 4)),
  );
  let l = 0;
  let r = 0;
  for (let i = 0; i + 1 < pcm.length; i += 2) {
    l += pcm[i]! * pcm[i]!;
    r += pcm[i + 1]! * pcm[i + 1]!;
  }
  const n = Math.max(1, pcm.length / 2);
  return { channels: info.channels, left: Math.sqrt(l / n), right: Math.sqrt(r / n) };
}

async function lastCall(sys: TestSystem) {
  return sys.db.selectFrom('calls').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
}

/** Waits until the engine has no call in progress (the CDR is then closed). */
async function idle(sys: TestSystem, timeoutMs = 5000) {
  const engine = sys.deps.calls!;
  if (engine.activeCount === 0) return;
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('calls still active')), timeoutMs);
    const off = engine.onCallEnded(() => {
      if (engine.activeCount > 0) return;
      clearTimeout(t);
      off();
      resolve();
    });
  });
}

describe.concurrent('calls through the switch (sipp carrier → DID 5550104 → sipp desk phone 1004)', () => {
  it('answered call: media both ways, DTMF relayed, CDR, recording, events', { timeout: 30_000 }, async ({
    onTestFinished,
  }) => {
    const defer: Defer = (fn) =>
      onTestFinished(async () => {
        await fn();
      });
    const sys = await startSwitch(defer);
    await sys.db
      .updateTable('extensions')
      .set({ recording_enabled: 1 })
      .where('number', '=', '1004')
      .execute();
    const media = await MediaPeer.start();
    defer(() => media.close());
    const desk = await startDesk(sys, 'answer', media.port);
    const seen: string[] = [];
    const dave = await sys.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'dave')
      .executeTakeFirstOrThrow();
    const off = sys.deps.events.subscribe({ userId: dave.id, role: 'agent' }, (e) => {
      if (e.event.type === 'call') seen.push(e.event.state);
    });
    const carrier = await carrierCall(defer, sys, { did: '5550104', expect: 200, talkMs: 2500, dtmf: true });
    const [carrierExit, deskExit] = await Promise.all([carrier.exited, desk.exited]);
    expect(deskExit, desk.output).toBe(0);
    expect(carrierExit, carrier.output).toBe(0);
    await idle(sys);
    off();
    // Audio reached the extension (the carrier's pcap, transcoded PCMA → PCMU) and came back.
    expect(media.audio).toBeGreaterThan(80);
    expect(media.loud).toBeGreaterThan(50);
    // RFC 4733 digit 7 from the carrier reached the extension.
    expect(media.events).toContain(7);
    const cdr = await lastCall(sys);
    expect(cdr).toMatchObject({
      type: 'inbound',
      status: 'closed',
      disposition: 'answered',
      hangup_side: 'customer',
      hangup_cause: 'normal_clearing',
      customer_number: '+12025550199',
      called_number: '5550104',
      agent_user_id: dave.id,
    });
    expect(cdr.answered_at).not.toBeNull();
    expect(cdr.duration_s).toBeGreaterThanOrEqual(2);
    const quality = JSON.parse(cdr.quality as string);
    expect(quality.customer.packetsReceived).toBeGreaterThan(80);
    expect(quality.callee.packetsReceived).toBeGreaterThan(80);
    const legs = await sys.db.selectFrom('call_legs').selectAll().where('call_id', '=', cdr.id).execute();
    expect(legs.map((l) => l.role).sort()).toEqual(['agent', 'customer']);
    // The recording: stereo, as long as the call, both channels carry sound.
    expect(cdr.recording_id).not.toBeNull();
    const rec = await sys.db
      .selectFrom('recordings')
      .selectAll()
      .where('id', '=', cdr.recording_id!)
      .executeTakeFirstOrThrow();
    expect(rec.status).toBe('complete');
    const file = path.resolve(sys.deps.config.recordingsDir, rec.path);
    expect(statSync(file).size).toBe(rec.size_bytes);
    const { left, right, channels } = channelLevels(readFileSync(file));
    expect(channels).toBe(2);
    expect(left).toBeGreaterThan(100); // the customer (carrier pcap)
    expect(right).toBeGreaterThan(100); // the agent (the desk phone's echo)
    expect(rec.duration_ms).toBeGreaterThan(2000);
    expect(Math.abs(rec.duration_ms - cdr.duration_s * 1000)).toBeLessThan(1500);
    expect(seen).toEqual(expect.arrayContaining(['ringing', 'answered', 'ended']));
  });

  for (const [mode, expectStatus, disposition, cause] of [
    ['busy', 486, 'busy', 'busy'],
    ['reject', 603, 'busy', 'rejected'],
    ['ring', 480, 'unanswered', 'no_answer'],
  ] as const) {
    it(`desk phone ${mode}: caller gets ${expectStatus}, CDR ${disposition}/${cause}`, {
      timeout: 20_000,
    }, async ({ onTestFinished }) => {
      const defer: Defer = (fn) =>
        onTestFinished(async () => {
          await fn();
        });
      const sys = await startSwitch(defer, {}, 1500);
      const media = await MediaPeer.start();
      defer(() => media.close());
      const desk = await startDesk(sys, mode, media.port);
      const carrier = await carrierCall(defer, sys, { did: '5550104', expect: expectStatus });
      const [carrierExit, deskExit] = await Promise.all([carrier.exited, desk.exited]);
      expect(deskExit, desk.output).toBe(0);
      expect(carrierExit, carrier.output).toBe(0);
      await idle(sys);
      expect(await lastCall(sys)).toMatchObject({
        status: 'closed',
        disposition,
        hangup_cause: cause,
        duration_s: 0,
      });
    });
  }

  it('unknown DID → 404 with a CDR; queue DID → 480 with a CDR', { timeout: 20_000 }, async ({
    onTestFinished,
  }) => {
    const defer: Defer = (fn) =>
      onTestFinished(async () => {
        await fn();
      });
    const sys = await startSwitch(defer);
    const c1 = await carrierCall(defer, sys, { did: '5550999', expect: 404 });
    expect(await c1.exited, c1.output).toBe(0);
    await idle(sys);
    expect(await lastCall(sys)).toMatchObject({
      disposition: 'failed',
      hangup_cause: 'no_route',
      status: 'closed',
    });
    const c2 = await carrierCall(defer, sys, { did: '5550100', expect: 480 });
    expect(await c2.exited, c2.output).toBe(0);
    await idle(sys);
    const cdr = await lastCall(sys);
    expect(cdr).toMatchObject({ disposition: 'failed', hangup_cause: 'queue_not_available' });
    expect(cdr.queue_id).not.toBeNull();
  });
});
