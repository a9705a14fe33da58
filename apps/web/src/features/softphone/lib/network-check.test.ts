import type { LegQuality } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { networkCheckVerdict } from './network-check';

const switchSaw = (p: Partial<LegQuality> = {}): LegQuality => ({
  packetsReceived: 500,
  packetsSent: 500,
  packetsLost: 0,
  lossRate: 0,
  jitterMs: 2,
  rttMs: null,
  remoteLossRate: null,
  remoteJitterMs: null,
  ...p,
});
const browser = (received: number, lost = 0, jitterMs = 3, rttMs = 4) => ({
  inbound: { received, lost, jitterMs },
  remoteLossRate: null,
  remoteJitterMs: null,
  rttMs,
});

describe('networkCheckVerdict', () => {
  it('passes a clean network', () => {
    const v = networkCheckVerdict(browser(500), switchSaw());
    expect(v.level).toBe('good');
    expect(v.message).toBe('Your network is good for calls.');
  });

  it('blames loss in either direction: what the switch did not receive counts too', () => {
    const v = networkCheckVerdict(browser(500), switchSaw({ lossRate: 0.12, packetsLost: 60 }));
    expect(v.level).toBe('poor');
    expect(v.figures.lossRate).toBe(0.12);
    expect(v.message).toMatch(/^Your network is dropping audio/);
  });

  it('tells uneven delivery and delay apart', () => {
    expect(networkCheckVerdict(browser(500, 0, 70), switchSaw()).message).toMatch(/unevenly/);
    expect(networkCheckVerdict(browser(500, 0, 3, 650), switchSaw()).message).toBe(
      'Your network is slow: expect delay on calls.',
    );
  });

  it('says so when no audio arrived at all (UDP blocked)', () => {
    const v = networkCheckVerdict(
      { inbound: null, remoteLossRate: null, remoteJitterMs: null, rttMs: null },
      null,
    );
    expect(v.message).toMatch(/^No audio arrived from the switch/);
  });
});
