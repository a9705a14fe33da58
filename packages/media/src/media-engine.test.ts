import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freeUdpRange } from '@switchboard/test-support';
import { describe, expect, it } from 'vitest';
import { Bridge } from './bridge';
import { MediaEngine } from './media-engine';
import { pcm16Header } from './player/wav';

describe('MediaEngine', () => {
  it('repairs recordings at start-up and hands out configured legs', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'engine-'));
    writeFileSync(
      path.join(dir, 'crashed.wav'),
      Buffer.concat([pcm16Header(2, 8000, 0), Buffer.alloc(4000)]),
    );
    const base = await freeUdpRange(100);
    const engine = new MediaEngine({
      bindAddress: '127.0.0.1',
      portMin: base,
      portMax: base + 99,
      recordingsDir: dir,
    });
    expect(engine.repaired).toEqual([path.join(dir, 'crashed.wav')]);
    const a = await engine.createRtpLeg('customer');
    const b = await engine.createRtpLeg('agent');
    try {
      expect(a.id).toBe('customer');
      // The lower half of the range serves RTP legs.
      expect(a.port).toBeGreaterThanOrEqual(base);
      expect(a.port).toBeLessThanOrEqual(base + 49);
      expect(await a.createOffer()).toContain(`m=audio ${a.port} RTP/AVP 0 8 101`);
      const bridge = new Bridge(a, b);
      const rec = engine.recorder('calls/1.wav');
      await rec.start(bridge, a);
      expect((await rec.stop()).file).toBe(path.join(dir, 'calls/1.wav'));
      expect(() => engine.recorder('../escape.wav')).toThrow(/bad recording name/);
    } finally {
      a.close();
      b.close();
    }
  });

  it("hands the operator's STUN/TURN servers to the WebRTC legs, and none by default", async () => {
    const turn = {
      urls: ['turn:turn.example.com:3478'],
      username: 'switchboard',
      credential: 'relay-secret',
    };
    // The legs are closed before they gather candidates, but a free range costs nothing and keeps
    // this test clear of whatever else runs on the machine should that ever change.
    const base = await freeUdpRange(100);
    const options = { bindAddress: '127.0.0.1', portMin: base, portMax: base + 99 };
    const relayed = new MediaEngine({ ...options, iceServers: [turn] }).createWebRtcLeg();
    const plain = new MediaEngine(options).createWebRtcLeg();
    try {
      expect(relayed.pc.config.iceServers).toEqual([turn]);
      expect(plain.pc.config.iceServers).toEqual([]);
    } finally {
      relayed.close();
      plain.close();
    }
  });

  it('gives renewed TURN credentials to the legs created after the renewal, not before', async () => {
    const base = await freeUdpRange(100);
    const server = (credential: string) => ({
      urls: ['turn:turn.example.com:3478'],
      username: '1700000000:switchboard',
      credential,
    });
    const engine = new MediaEngine({
      bindAddress: '127.0.0.1',
      portMin: base,
      portMax: base + 99,
      iceServers: [server('first')],
    });
    const before = engine.createWebRtcLeg();
    engine.setIceServers([server('renewed')]);
    const after = engine.createWebRtcLeg();
    try {
      expect(before.pc.config.iceServers).toEqual([server('first')]);
      expect(after.pc.config.iceServers).toEqual([server('renewed')]);
    } finally {
      before.close();
      after.close();
    }
  });
});
