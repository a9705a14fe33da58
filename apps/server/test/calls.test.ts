import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { PortPool, parseWavHeader, RtpLeg } from '@switchboard/media';
import { freeUdpRange } from '@switchboard/test-support';
import { describe, expect, it } from 'vitest';
import { carrierCall, carrierUasScenario, deskPhoneStack, MediaPeer, startDesk } from './call-peers';
import { type Defer, deferrer } from './defer';
import { freeMediaPorts, startSipp } from './sip-agents';
import { allCallsEnded } from './switch-events';
import { TestSystem } from './test-system';

async function startSwitch(
  defer: Defer,
  env: Record<string, string> = {},
  ringTimeoutMs = 4000,
): Promise<TestSystem> {
  const min = await freeUdpRange(100);
  const sys = await TestSystem.start(
    'sqlite',
    { TRUNK_URI: 'sip:127.0.0.1:9', RTP_PORT_MIN: String(min), RTP_PORT_MAX: String(min + 99), ...env },
    { trunks: { optionsIntervalMs: 0 }, calls: { ringTimeoutMs } },
  );
  defer(() => sys.stop());
  return sys;
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

describe.concurrent('calls through the switch (sipp carrier → DID 5550104 → sipp desk phone 1004)', () => {
  // MEDIA_THREAD: the media plane in its worker thread (the default) or in the SIP/HTTP thread.
  it.for(['worker', 'main'] as const)(
    'answered call (media in the %s thread): media both ways, DTMF relayed, CDR, recording, events',
    { timeout: 30_000 },
    async (thread, { onTestFinished }) => {
      const defer = deferrer(onTestFinished);
      const sys = await startSwitch(defer, { MEDIA_THREAD: thread });
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
      const carrier = await carrierCall(defer, sys, {
        did: '5550104',
        expect: 200,
        talkMs: 2500,
        dtmf: true,
      });
      const [carrierExit, deskExit] = await Promise.all([carrier.exited, desk.exited]);
      expect(deskExit, desk.output).toBe(0);
      expect(carrierExit, carrier.output).toBe(0);
      await allCallsEnded(sys);
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
    },
  );

  for (const [mode, expectStatus, disposition, cause] of [
    ['busy', 486, 'busy', 'busy'],
    ['reject', 603, 'busy', 'rejected'],
    ['ring', 480, 'unanswered', 'no_answer'],
  ] as const) {
    it(`desk phone ${mode}: caller gets ${expectStatus}, CDR ${disposition}/${cause}`, {
      timeout: 20_000,
    }, async ({ onTestFinished }) => {
      const defer = deferrer(onTestFinished);
      const sys = await startSwitch(defer, {}, 1500);
      const media = await MediaPeer.start();
      defer(() => media.close());
      const desk = await startDesk(sys, mode, media.port);
      const carrier = await carrierCall(defer, sys, { did: '5550104', expect: expectStatus });
      const [carrierExit, deskExit] = await Promise.all([carrier.exited, desk.exited]);
      expect(deskExit, desk.output).toBe(0);
      expect(carrierExit, carrier.output).toBe(0);
      await allCallsEnded(sys);
      expect(await lastCall(sys)).toMatchObject({
        status: 'closed',
        disposition,
        hangup_cause: cause,
        duration_s: 0,
      });
    });
  }

  it('unknown DID → 404 with a CDR; DID of a missing queue → 480 with a CDR', { timeout: 20_000 }, async ({
    onTestFinished,
  }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer);
    const c1 = await carrierCall(defer, sys, { did: '5550999', expect: 404 });
    expect(await c1.exited, c1.output).toBe(0);
    await allCallsEnded(sys);
    expect(await lastCall(sys)).toMatchObject({
      disposition: 'failed',
      hangup_cause: 'no_route',
      status: 'closed',
    });
    // Queue DIDs are answered and wait (queue-calls.test.ts); a route to a deleted queue cannot.
    await sys.db
      .insertInto('inbound_routes')
      .values({ number: '5550177', target_type: 'queue', target_id: '999999', created_at: Date.now() })
      .execute();
    const c2 = await carrierCall(defer, sys, { did: '5550177', expect: 480 });
    expect(await c2.exited, c2.output).toBe(0);
    await allCallsEnded(sys);
    const cdr = await lastCall(sys);
    expect(cdr).toMatchObject({ disposition: 'failed', hangup_cause: 'queue_not_available', queue_id: null });
  });
});

describe.concurrent('more calls', () => {
  it('hold and resume: the held agent hears hold music; events held/resumed', { timeout: 30_000 }, async ({
    onTestFinished,
  }) => {
    const defer = deferrer(onTestFinished);
    const sys = await startSwitch(defer);
    const media = await MediaPeer.start();
    defer(() => media.close());
    media.echo = false;
    const desk = await startDesk(sys, 'answer', media.port);
    const marks: Record<string, number> = {};
    const off = sys.deps.events.subscribe({ userId: 0, role: 'supervisor' }, (e) => {
      if (e.event.type === 'call') marks[e.event.state] = media.loud;
    });
    defer(off);
    const carrier = await carrierCall(defer, sys, {
      did: '5550104',
      expect: 200,
      talkMs: 5200,
      holdMs: 1500,
    });
    const [carrierExit, deskExit] = await Promise.all([carrier.exited, desk.exited]);
    expect(deskExit, desk.output).toBe(0);
    expect(carrierExit, carrier.output).toBe(0);
    await allCallsEnded(sys);
    expect(marks.held).toBeDefined();
    expect(marks.resumed).toBeDefined();
    // ~75 frames of music in 1.5 s; the carrier itself sent nothing while holding.
    expect(marks.resumed! - marks.held!).toBeGreaterThan(40);
    expect(await lastCall(sys)).toMatchObject({ disposition: 'answered', hangup_side: 'customer' });
  });

  it('outbound through a carrier that challenges with 401; P-Asserted-Identity; desk phone hangs up', {
    timeout: 30_000,
  }, async ({ onTestFinished }) => {
    const defer = deferrer(onTestFinished);
    const mp = await freeMediaPorts();
    const carrier = await startSipp({
      scenario: carrierUasScenario(true),
      transport: 'udp',
      timeoutMs: 20_000,
      args: ['-m', '1', '-mi', '127.0.0.1', '-mp', String(mp), '-rtp_echo', '-trace_err'],
    });
    defer(() => {
      carrier.kill();
      return carrier.exited;
    });
    // Credentials for the INVITE challenge only: no outbound registration (this sipp takes one call).
    const sys = await startSwitch(defer, { TRUNK_URI: `sip:127.0.0.1:${carrier.port}` });
    await sys.db
      .updateTable('trunks')
      .set({ username: 'carrier', password: 's3cret', register: 0 })
      .execute();
    await sys.deps.trunks.reload();
    const phone = await deskPhoneStack(sys);
    defer(() => phone.close());
    const leg = await RtpLeg.create({
      pool: new PortPool({ min: 47000, max: 47999 }),
      bindAddress: '127.0.0.1',
    });
    defer(() => leg.close());
    const inv = phone.invite(
      phone.createRequest('INVITE', `sip:2025550143@127.0.0.1:${sys.sipPort}`, {
        from: 'sip:1004@127.0.0.1',
        body: await leg.createOffer(),
        contentType: 'application/sdp',
      }),
    );
    const { response, dialog } = await inv.done;
    if (response.status !== 200) carrier.kill('SIGTERM');
    expect(
      response.status,
      response.status !== 200 ? await carrier.exited.then(() => carrier.output) : '',
    ).toBe(200);
    await leg.acceptAnswer(response.bodyText);
    // Our audio goes out to the carrier and its echo comes back through the switch.
    const tone = Buffer.alloc(160, 0x20);
    for (let i = 0; i < 50; i++) {
      leg.sendFrame(tone);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(leg.quality().packetsReceived).toBeGreaterThan(20);
    await dialog!.bye();
    expect(await carrier.exited, carrier.output).toBe(0);
    await allCallsEnded(sys);
    const cdr = await lastCall(sys);
    expect(cdr).toMatchObject({
      type: 'manual',
      disposition: 'answered',
      hangup_side: 'agent',
      customer_number: '+12025550143',
    });
  });

  it('no trunk up → 503 to the desk phone, CDR failed/no_trunk', { timeout: 20_000 }, async ({
    onTestFinished,
  }) => {
    const defer = deferrer(onTestFinished);
    const sys = await TestSystem.start(
      'sqlite',
      { TRUNK_URI: 'sip:127.0.0.1:9' },
      { trunks: { optionsIntervalMs: 100, optionsTimeoutMs: 150, downAfter: 1 } },
    );
    defer(() => sys.stop());
    await new Promise<void>((resolve) => {
      if (sys.deps.trunks.pick() === null) return resolve();
      const off = sys.deps.trunks.onChange(() => {
        if (sys.deps.trunks.pick() !== null) return;
        off();
        resolve();
      });
    });
    const phone = await deskPhoneStack(sys);
    defer(() => phone.close());
    const inv = phone.invite(
      phone.createRequest('INVITE', `sip:2025550143@127.0.0.1:${sys.sipPort}`, {
        from: 'sip:1004@127.0.0.1',
        body: 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n',
        contentType: 'application/sdp',
      }),
    );
    expect((await inv.done).response.status).toBe(503);
    await allCallsEnded(sys);
    expect(await lastCall(sys)).toMatchObject({
      disposition: 'failed',
      hangup_cause: 'no_trunk',
      type: 'manual',
    });
  });
});
