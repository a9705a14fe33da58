import type { LegQuality } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import {
  assessCallQuality,
  browserAudioStats,
  type QualitySample,
  stickyWarnings,
} from './call-quality-sample';

const leg = (p: Partial<LegQuality>): LegQuality => ({
  packetsReceived: 0,
  packetsSent: 0,
  packetsLost: 0,
  lossRate: 0,
  jitterMs: 2,
  rttMs: null,
  remoteLossRate: null,
  remoteJitterMs: null,
  ...p,
});

describe('browserAudioStats', () => {
  it("reads the audio streams and the round trip from a getStats report's entries", () => {
    const s = browserAudioStats([
      { type: 'inbound-rtp', kind: 'video', packetsReceived: 9, packetsLost: 9 },
      { type: 'inbound-rtp', kind: 'audio', packetsReceived: 480, packetsLost: 20, jitter: 0.012 },
      { type: 'remote-inbound-rtp', kind: 'audio', fractionLost: 0.01, jitter: 0.004, roundTripTime: 0.06 },
      { type: 'candidate-pair', state: 'succeeded', nominated: true, currentRoundTripTime: 0.05 },
    ]);
    expect(s.inbound).toEqual({ received: 480, lost: 20, jitterMs: 12 });
    expect(s.remoteLossRate).toBe(0.01);
    expect(s.remoteJitterMs).toBe(4);
    expect(s.rttMs).toBe(60);
  });

  it('takes the ICE round trip when no RTCP report came back yet', () => {
    const s = browserAudioStats([
      { type: 'candidate-pair', state: 'in-progress', currentRoundTripTime: 0.9 },
      { type: 'candidate-pair', state: 'succeeded', nominated: true, currentRoundTripTime: 0.002 },
    ]);
    expect(s.rttMs).toBe(2);
    expect(s.inbound).toBeNull();
  });
});

const quietBrowser = (received: number) => ({
  inbound: { received, lost: 0, jitterMs: 3 },
  remoteLossRate: 0,
  remoteJitterMs: 2,
  rttMs: 1,
});

describe('assessCallQuality', () => {
  it('rates a clean call good, with no warning', () => {
    const v = assessCallQuality(null, {
      browser: quietBrowser(500),
      server: {
        callId: 'c1',
        otherParty: 'customer',
        agentLeg: leg({ packetsReceived: 500 }),
        otherLeg: leg({ packetsReceived: 500 }),
      },
    });
    expect(v.level).toBe('good');
    expect(v.warnings).toEqual([]);
  });

  it("warns about the customer's line when the switch loses the carrier's packets in the last window", () => {
    const at = (received: number, lost: number): QualitySample => ({
      browser: quietBrowser(received + lost),
      server: {
        callId: 'c1',
        otherParty: 'customer',
        agentLeg: leg({ packetsReceived: received + lost }),
        otherLeg: leg({ packetsReceived: received, packetsLost: lost }),
      },
    });
    // clean for the first 1000 packets, then a quarter lost: the window shows it at once
    const v = assessCallQuality(at(1000, 0), at(1075, 25));
    expect(v.otherLine?.lossRate).toBeCloseTo(0.25, 10);
    expect(v.warnings.map((w) => w.message)).toEqual(["The customer's line is poor"]);
    expect(v.level).toBe('poor');
  });

  it("warns about the agent's network when the browser loses the switch's packets", () => {
    const v = assessCallQuality(
      { browser: quietBrowser(100), server: null },
      { browser: { ...quietBrowser(180), inbound: { received: 180, lost: 20, jitterMs: 5 } }, server: null },
    );
    expect(v.agentNetwork.lossRate).toBeCloseTo(0.2, 10);
    expect(v.warnings.map((w) => w.message)).toEqual(['Your network is dropping audio']);
    expect(v.otherLine).toBeNull();
  });

  it('does not take differences across two calls', () => {
    const first: QualitySample = {
      browser: quietBrowser(100),
      server: {
        callId: 'c1',
        otherParty: 'customer',
        agentLeg: null,
        otherLeg: leg({ packetsReceived: 9000 }),
      },
    };
    const second: QualitySample = {
      browser: quietBrowser(200),
      server: {
        callId: 'c2',
        otherParty: 'agent',
        agentLeg: null,
        otherLeg: leg({ packetsReceived: 90, packetsLost: 10 }),
      },
    };
    const v = assessCallQuality(first, second);
    expect(v.otherLine?.lossRate).toBeCloseTo(0.1, 10);
    expect(v.warnings.map((w) => w.message)).toEqual(["The other agent's line is poor"]);
  });
});

describe('stickyWarnings', () => {
  const lossy = { source: 'other-line' as const, message: "The customer's line is poor" };
  const slow = { source: 'agent-network' as const, message: 'Your network is slow: expect delay' };

  it('keeps a warning up for a while after the last poor window, then drops it', () => {
    let r = stickyWarnings(new Map(), [lossy], 0);
    expect(r.warnings).toEqual([lossy]);
    r = stickyWarnings(r.history, [], 2000);
    expect(r.warnings).toEqual([lossy]);
    r = stickyWarnings(r.history, [], 6000);
    expect(r.warnings).toEqual([lossy]);
    r = stickyWarnings(r.history, [], 8000);
    expect(r.warnings).toEqual([]);
  });

  it("lists the agent's network first, and shows the latest wording of a warning", () => {
    let r = stickyWarnings(new Map(), [lossy], 0);
    r = stickyWarnings(r.history, [slow], 2000);
    expect(r.warnings).toEqual([slow, lossy]);
    const dropping = { source: 'agent-network' as const, message: 'Your network is dropping audio' };
    r = stickyWarnings(r.history, [dropping], 4000);
    expect(r.warnings).toEqual([dropping, lossy]);
  });
});
