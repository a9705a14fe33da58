import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freeUdpRange } from '@switchboard/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { Bridge } from '../src/bridge';
import { decodeSample } from '../src/codecs/g711';
import { RtpLeg } from '../src/legs/rtp-leg';
import { ConferenceMixer } from '../src/mixer/conference-mixer';
import { PromptPlayer } from '../src/player/prompt-player';
import { sayMoney, sayNumber } from '../src/player/say';
import { parseWavHeader } from '../src/player/wav';
import { PortPool } from '../src/port-pool';
import { repairRecordings, WavRecorder } from '../src/recorder/wav-recorder';
import { UdpPeer } from './helpers';

const base = await freeUdpRange(200);
const pool = new PortPool({ min: base, max: base + 199 });
const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.splice(0)) c();
});

async function legTo(peer: UdpPeer, law: 'PCMU' | 'PCMA' = 'PCMU'): Promise<RtpLeg> {
  const leg = await RtpLeg.create({ pool, codecs: [law] });
  leg.setRemote('127.0.0.1', peer.port);
  leg.configure({ law });
  cleanup.push(() => leg.close());
  return leg;
}

async function peer(): Promise<UdpPeer> {
  const p = await UdpPeer.create();
  cleanup.push(() => p.close());
  return p;
}

function energy(payload: Buffer): number {
  let e = 0;
  for (const b of payload) e += Math.abs(decodeSample('PCMU', b));
  return e / payload.length;
}

describe('prompt player', () => {
  it('says amounts with the shipped prompts', () => {
    expect(sayMoney(1250)).toEqual(['n-12', 'dollars', 'n-50', 'cents']);
    expect(sayMoney(101)).toEqual(['n-1', 'dollar', 'n-1', 'cent']);
    expect(sayNumber(2345)).toEqual(['n-2', 'thousand', 'n-3', 'hundred', 'n-40', 'n-5']);
    const player = new PromptPlayer();
    for (const name of ['your-balance-is', ...sayMoney(1250), 'hold-music', 'enter-pin', 'goodbye', 'n-90']) {
      expect(player.pcm(name).length).toBeGreaterThan(800);
    }
  });

  it('plays a sequence to the end, in order, as non-silent audio', async () => {
    const p = await peer();
    const leg = await legTo(p);
    const player = new PromptPlayer();
    const names = ['your-balance-is', ...sayMoney(1250)];
    const expected = names.reduce((n, name) => n + player.frames(name, 'PCMU').length, 0);
    const pb = player.play(leg, names);
    expect(await pb.done).toBe('finished');
    await p.waitFor(expected);
    expect(p.received).toHaveLength(expected);
    expect(p.received.some((r) => energy(r.payload) > 500)).toBe(true);
  });

  it('paces at 50 packets per second (±1) over 10 s on the shared clock, looping hold music', async () => {
    const p = await peer();
    const leg = await legTo(p, 'PCMA');
    const pb = new PromptPlayer().play(leg, 'hold-music', { loop: true });
    await p.waitFor(1);
    const t0 = p.received[0]!.at;
    await new Promise((r) => setTimeout(r, 10_000));
    const within = p.received.filter((r) => r.at - t0 < 10_000).length;
    pb.stop();
    expect(await pb.done).toBe('stopped');
    expect(within / 10).toBeGreaterThanOrEqual(49);
    expect(within / 10).toBeLessThanOrEqual(51);
    expect(p.received.every((r) => r.h.payloadType === 8)).toBe(true);
  }, 20_000);
});

describe('recorder', () => {
  it('records a bridged call as stereo WAV of the right length, both channels, and repairs a crashed file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rec-'));
    const customer = await peer();
    const agent = await peer();
    const a = await legTo(customer);
    const b = await legTo(agent);
    const bridge = new Bridge(a, b);
    const rec = new WavRecorder(path.join(dir, 'call.wav'));
    const crashed = new WavRecorder(path.join(dir, 'crashed.wav'));
    await rec.start(bridge, a);
    await crashed.start(bridge, a);
    const tone = (freq: number) => {
      const buf = Buffer.alloc(160);
      for (let i = 0; i < 160; i++) buf[i] = Math.sin((2 * Math.PI * freq * i) / 8000) > 0 ? 0x90 : 0x10;
      return buf;
    };
    const t0 = performance.now();
    for (let i = 0; i < 100; i++) {
      customer.send(a.port, 0, tone(400));
      agent.send(b.port, 0, tone(1000));
      await new Promise((r) => setTimeout(r, 20));
    }
    const callMs = performance.now() - t0;
    crashed.abandonForTest();
    const { durationMs } = await rec.stop();
    expect(Math.abs(durationMs - callMs)).toBeLessThan(100);

    const wav = readFileSync(rec.file);
    const info = parseWavHeader(wav);
    expect(info).toMatchObject({ channels: 2, sampleRate: 8000, bitsPerSample: 16 });
    expect(info.dataBytes).toBe(wav.length - 44);
    let left = 0;
    let right = 0;
    for (let o = info.dataOffset; o + 4 <= wav.length; o += 4) {
      left += Math.abs(wav.readInt16LE(o));
      right += Math.abs(wav.readInt16LE(o + 2));
    }
    expect(left).toBeGreaterThan(0);
    expect(right).toBeGreaterThan(0);

    // A crash leaves the sizes at 0: players refuse or play nothing. Repair fixes the header from the length.
    const broken = readFileSync(crashed.file);
    expect(broken.readUInt32LE(40)).toBe(0);
    writeFileSync(crashed.file, Buffer.concat([broken, Buffer.from([1, 2, 3])])); // torn final write
    const repaired = repairRecordings(dir);
    expect(repaired).toEqual([crashed.file]);
    const fixed = readFileSync(crashed.file);
    const fixedInfo = parseWavHeader(fixed);
    expect(fixedInfo.dataBytes).toBe(fixed.length - 44);
    expect(fixedInfo.dataBytes % 4).toBe(0);
    expect(fixedInfo.dataBytes).toBeGreaterThan(8000 * 4 * 1.5);
    expect(repairRecordings(dir)).toEqual([]);
    // …and it plays: sox reads the whole repaired file (duration from the header matches the data).
    const soxi = spawnSync('soxi', ['-D', crashed.file], { encoding: 'utf8' });
    expect(soxi.status).toBe(0);
    expect(Number(soxi.stdout)).toBeCloseTo(fixedInfo.dataBytes / 4 / 8000, 2);
    expect(spawnSync('sox', [crashed.file, '-n', 'stat'], { encoding: 'utf8' }).status).toBe(0);
  });

  it('follows the call into a mix: a silent listener is not recorded, a barging one is, the customer stays left', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rec-mix-'));
    const [customer, agent, supervisor] = [await peer(), await peer(), await peer()];
    const a = await legTo(customer);
    const b = await legTo(agent);
    const c = await legTo(supervisor);
    const bridge = new Bridge(a, b);
    const rec = new WavRecorder(path.join(dir, 'call.wav'));
    await rec.start(bridge, a);
    const t0 = performance.now();
    const loud = Buffer.alloc(160, 0x90);
    const quiet = Buffer.alloc(160, 0xff);
    const talk = async (agentSays: Buffer, supervisorSays: Buffer | null) => {
      const from = performance.now() - t0;
      for (let i = 0; i < 50; i++) {
        customer.send(a.port, 0, loud);
        agent.send(b.port, 0, agentSays);
        if (supervisorSays) supervisor.send(c.port, 0, supervisorSays);
        await new Promise((r) => setTimeout(r, 20));
      }
      return { from, to: performance.now() - t0 };
    };

    const bridged = await talk(loud, null);
    bridge.unbridge();
    const mixer = new ConferenceMixer();
    cleanup.push(() => mixer.close());
    mixer.add(a);
    mixer.add(b);
    mixer.add(c);
    mixer.setAudience(c, []);
    rec.follow(mixer, a);
    const listening = await talk(quiet, loud);
    mixer.setAudience(c, null);
    const barging = await talk(quiet, loud);
    await rec.stop();

    const wav = readFileSync(rec.file);
    const info = parseWavHeader(wav);
    // Mean level per channel over a phase, leaving 200 ms at each end for the jitter buffers.
    const level = (phase: { from: number; to: number }, channel: 0 | 1) => {
      const first = Math.round(((phase.from + 200) / 1000) * 8000);
      const last = Math.round(((phase.to - 200) / 1000) * 8000);
      let sum = 0;
      for (let i = first; i < last; i++)
        sum += Math.abs(wav.readInt16LE(info.dataOffset + i * 4 + channel * 2));
      return sum / (last - first);
    };
    for (const phase of [bridged, listening, barging]) expect(level(phase, 0)).toBeGreaterThan(1000);
    expect(level(bridged, 1)).toBeGreaterThan(1000);
    expect(level(listening, 1)).toBeLessThan(50);
    expect(level(barging, 1)).toBeGreaterThan(1000);
  });
});

describe('conference mixer', () => {
  it('sends each participant the others but not itself', async () => {
    const peers = [await peer(), await peer(), await peer()];
    const legs = [await legTo(peers[0]!), await legTo(peers[1]!), await legTo(peers[2]!, 'PCMA')];
    const mixer = new ConferenceMixer();
    cleanup.push(() => mixer.close());
    for (const l of legs) mixer.add(l);
    // Only participant 0 talks.
    for (let i = 0; i < 30; i++) {
      peers[0]!.send(legs[0]!.port, 0, Buffer.alloc(160, 0x90));
      await new Promise((r) => setTimeout(r, 20));
    }
    await peers[1]!.waitFor(20);
    await peers[2]!.waitFor(20);
    const loud = (p: UdpPeer, law: 'PCMU' | 'PCMA') =>
      p.received.filter((r) => Math.abs(decodeSample(law, r.payload[0]!)) > 1000).length;
    expect(loud(peers[1]!, 'PCMU')).toBeGreaterThan(15);
    expect(loud(peers[2]!, 'PCMA')).toBeGreaterThan(15);
    expect(peers[2]!.received.every((r) => r.h.payloadType === 8)).toBe(true);
    expect(loud(peers[0]!, 'PCMU')).toBe(0); // never hears itself
    expect(peers[0]!.received.length).toBeGreaterThan(15);
  });
});
