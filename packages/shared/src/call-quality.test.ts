import { describe, expect, it } from 'vitest';
import {
  endToEnd,
  mosEstimate,
  pathIsPoor,
  qualityLevel,
  qualityWarnings,
  windowLossRate,
  worstOf,
} from './call-quality';

const clean = { lossRate: 0, jitterMs: 0, rttMs: 0 };

describe('mosEstimate', () => {
  it('gives G.711 on a clean network about 4.4', () => {
    expect(mosEstimate(clean)).toBeCloseTo(4.4, 1);
  });

  it('treats unknown figures as clean', () => {
    expect(mosEstimate({ lossRate: null, jitterMs: null, rttMs: null })).toBe(mosEstimate(clean));
  });

  it('falls with loss: 10 % loss is about 3.5', () => {
    expect(mosEstimate({ ...clean, lossRate: 0.1 })).toBeCloseTo(3.5, 1);
    expect(mosEstimate({ ...clean, lossRate: 0.02 })).toBeGreaterThan(
      mosEstimate({ ...clean, lossRate: 0.1 }),
    );
  });

  it('falls faster once the effective latency passes 160 ms', () => {
    const at = (rttMs: number) => mosEstimate({ ...clean, rttMs });
    const slowDrop = at(200) - at(280); // effective latency 110 → 150 ms
    const fastDrop = at(400) - at(480); // 210 → 250 ms
    expect(fastDrop).toBeGreaterThan(slowDrop * 3);
  });

  it('counts jitter twice (the jitter buffer adds delay)', () => {
    expect(mosEstimate({ ...clean, jitterMs: 100 })).toBeCloseTo(mosEstimate({ ...clean, rttMs: 400 }), 5);
  });

  it('stays between 1 and 4.5', () => {
    expect(mosEstimate({ lossRate: 1, jitterMs: 1000, rttMs: 5000 })).toBe(1);
    expect(mosEstimate(clean)).toBeLessThanOrEqual(4.5);
  });
});

describe('qualityLevel and pathIsPoor', () => {
  it('maps the MOS to good, fair and poor', () => {
    expect(qualityLevel(4.3)).toBe('good');
    expect(qualityLevel(3.8)).toBe('fair');
    expect(qualityLevel(3.2)).toBe('poor');
  });

  it('calls a path poor from 5 % loss, 50 ms jitter or 500 ms round trip', () => {
    expect(pathIsPoor(clean)).toBe(false);
    expect(pathIsPoor({ ...clean, lossRate: 0.049 })).toBe(false);
    expect(pathIsPoor({ ...clean, lossRate: 0.05 })).toBe(true);
    expect(pathIsPoor({ ...clean, jitterMs: 49 })).toBe(false);
    expect(pathIsPoor({ ...clean, jitterMs: 50 })).toBe(true);
    expect(pathIsPoor({ ...clean, rttMs: 499 })).toBe(false);
    expect(pathIsPoor({ ...clean, rttMs: 500 })).toBe(true);
  });

  it('calls a path poor when moderate figures together bring the MOS down', () => {
    const each = { lossRate: 0.045, jitterMs: 45, rttMs: 400 };
    expect(qualityLevel(mosEstimate(each))).toBe('poor');
    expect(pathIsPoor(each)).toBe(true);
  });
});

describe('combining measurements', () => {
  it('takes the worst of two measurements of one path, ignoring unknowns', () => {
    expect(
      worstOf({ lossRate: 0.01, jitterMs: null, rttMs: 80 }, { lossRate: 0.03, jitterMs: 12, rttMs: null }),
    ).toEqual({ lossRate: 0.03, jitterMs: 12, rttMs: 80 });
    expect(worstOf({ lossRate: null, jitterMs: null, rttMs: null })).toEqual({
      lossRate: null,
      jitterMs: null,
      rttMs: null,
    });
  });

  it('compounds loss and adds delay end to end', () => {
    const e = endToEnd({ lossRate: 0.1, jitterMs: 5, rttMs: 40 }, { lossRate: 0.1, jitterMs: 20, rttMs: 60 });
    expect(e.lossRate).toBeCloseTo(0.19, 10);
    expect(e.jitterMs).toBe(20);
    expect(e.rttMs).toBe(100);
  });
});

describe('windowLossRate', () => {
  it('is the loss since the previous reading', () => {
    expect(windowLossRate({ received: 1000, lost: 0 }, { received: 1090, lost: 10 })).toBeCloseTo(0.1, 10);
  });

  it('is the whole-call rate for the first reading', () => {
    expect(windowLossRate(null, { received: 75, lost: 25 })).toBe(0.25);
  });

  it('is unknown when nothing was expected in the window', () => {
    expect(windowLossRate({ received: 50, lost: 1 }, { received: 50, lost: 1 })).toBeNull();
  });

  it('starts over when the counters went back (a new leg)', () => {
    expect(windowLossRate({ received: 5000, lost: 10 }, { received: 40, lost: 10 })).toBe(0.2);
  });
});

describe('qualityWarnings', () => {
  it('says nothing on a clean call', () => {
    expect(qualityWarnings({ agentNetwork: clean, otherLine: clean, otherParty: 'customer' })).toEqual([]);
  });

  it("blames the agent's network when the browser leg loses packets", () => {
    const w = qualityWarnings({
      agentNetwork: { ...clean, lossRate: 0.08 },
      otherLine: clean,
      otherParty: 'customer',
    });
    expect(w).toEqual([{ source: 'agent-network', message: 'Your network is dropping audio' }]);
  });

  it("says delay, not dropping, when only the agent's round trip is long", () => {
    const w = qualityWarnings({
      agentNetwork: { ...clean, rttMs: 700 },
      otherLine: null,
      otherParty: 'customer',
    });
    expect(w.map((x) => x.message)).toEqual(['Your network is slow: expect delay']);
  });

  it("blames the customer's line when the carrier leg loses packets", () => {
    const w = qualityWarnings({
      agentNetwork: clean,
      otherLine: { lossRate: 0.2, jitterMs: 3, rttMs: null },
      otherParty: 'customer',
    });
    expect(w).toEqual([{ source: 'other-line', message: "The customer's line is poor" }]);
  });

  it('names the other agent on an internal call, and gives both warnings when both sides are poor', () => {
    const w = qualityWarnings({
      agentNetwork: { ...clean, jitterMs: 80 },
      otherLine: { ...clean, lossRate: 0.3 },
      otherParty: 'agent',
    });
    expect(w.map((x) => x.message)).toEqual([
      'Your network is dropping audio',
      "The other agent's line is poor",
    ]);
  });
});
