/**
 * Call quality as the desk shows it: a mean opinion score estimated from loss, jitter and delay, and
 * which side of the call a problem is on. Pure functions, shared by the softphone's live indicator
 * and the call detail (the CDR's recorded figures).
 */

/** What one network path measures; null where nothing is known (no RTCP yet, no packets). */
export interface PathFigures {
  /** Fraction of packets lost, 0..1. */
  lossRate: number | null;
  jitterMs: number | null;
  rttMs: number | null;
}

/**
 * Past these a path makes the call noticeably worse (G.711 without concealment: a few percent of lost
 * 20 ms frames is already audible as choppiness; ITU-T G.114 puts one-way delay above 250 ms as
 * disturbing, i.e. a round trip of 500 ms).
 */
export const poorPathThresholds = { lossRate: 0.05, jitterMs: 50, rttMs: 500 } as const;

export type QualityLevel = 'good' | 'fair' | 'poor';

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/**
 * MOS (1–4.5) from the E-model's usual simplification (ITU-T G.107 with G.711's Ie = 0): the
 * effective latency is the one-way delay plus twice the jitter (the jitter buffer) plus 10 ms of
 * codec delay; R drops slowly up to 160 ms of it and fast after, and 2.5 per percent of loss.
 */
export function mosEstimate(f: PathFigures): number {
  const oneWay = (f.rttMs ?? 0) / 2;
  const effectiveLatency = oneWay + 2 * (f.jitterMs ?? 0) + 10;
  let r = 93.2 - (effectiveLatency < 160 ? effectiveLatency / 40 : (effectiveLatency - 120) / 10);
  r -= 2.5 * 100 * (f.lossRate ?? 0);
  r = clamp(r, 0, 100);
  const mos = 1 + 0.035 * r + 0.000007 * r * (r - 60) * (100 - r);
  return clamp(mos, 1, 4.5);
}

export function qualityLevel(mos: number): QualityLevel {
  if (mos >= 4) return 'good';
  if (mos >= 3.6) return 'fair';
  return 'poor';
}

/** A path is poor when any one figure passes its threshold, or all together bring the MOS down. */
export function pathIsPoor(f: PathFigures): boolean {
  const t = poorPathThresholds;
  return (
    (f.lossRate ?? 0) >= t.lossRate ||
    (f.jitterMs ?? 0) >= t.jitterMs ||
    (f.rttMs ?? 0) >= t.rttMs ||
    qualityLevel(mosEstimate(f)) === 'poor'
  );
}

/** The largest known value, or null when none is known. */
function worst(values: Array<number | null | undefined>): number | null {
  const known = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return known.length > 0 ? Math.max(...known) : null;
}

/** Several measurements of the same path (browser and switch both measure it): the worst of each. */
export function worstOf(...paths: PathFigures[]): PathFigures {
  return {
    lossRate: worst(paths.map((p) => p.lossRate)),
    jitterMs: worst(paths.map((p) => p.jitterMs)),
    rttMs: worst(paths.map((p) => p.rttMs)),
  };
}

/**
 * Two paths one after the other (agent ↔ switch ↔ customer): losses compound, delays add, and the
 * jitter buffer sizes to the worse jitter.
 */
export function endToEnd(a: PathFigures, b: PathFigures): PathFigures {
  const known = (x: number | null, y: number | null) => x !== null || y !== null;
  return {
    lossRate: known(a.lossRate, b.lossRate) ? 1 - (1 - (a.lossRate ?? 0)) * (1 - (b.lossRate ?? 0)) : null,
    jitterMs: worst([a.jitterMs, b.jitterMs]),
    rttMs: known(a.rttMs, b.rttMs) ? (a.rttMs ?? 0) + (b.rttMs ?? 0) : null,
  };
}

/** Cumulative packet counters of a stream (RTP statistics, RFC 3550 §6.4). */
export interface PacketCounters {
  received: number;
  lost: number;
}

/**
 * The loss over the window between two readings of cumulative counters, so a bad minute shows now
 * and not diluted by the whole call; the whole-call rate when there is no earlier reading. null when
 * nothing was expected in the window (silence suppression, hold).
 */
export function windowLossRate(previous: PacketCounters | null, current: PacketCounters): number | null {
  const received = current.received - (previous?.received ?? 0);
  const lost = Math.max(0, current.lost - (previous?.lost ?? 0));
  if (received < 0) return windowLossRate(null, current); // counters restarted (a new leg)
  const expected = received + lost;
  return expected > 0 ? lost / expected : null;
}

export type QualityWarningSource = 'agent-network' | 'other-line';

export interface QualityWarning {
  source: QualityWarningSource;
  message: string;
}

/**
 * Which side of the call is the trouble: the agent's own network (browser ↔ switch) or the other
 * party's line (switch ↔ carrier, or the other agent). Both can be poor at once.
 */
export function qualityWarnings(input: {
  agentNetwork: PathFigures;
  otherLine: PathFigures | null;
  otherParty: 'customer' | 'agent';
}): QualityWarning[] {
  const warnings: QualityWarning[] = [];
  if (pathIsPoor(input.agentNetwork)) {
    const a = input.agentNetwork;
    const dropping =
      (a.lossRate ?? 0) >= poorPathThresholds.lossRate || (a.jitterMs ?? 0) >= poorPathThresholds.jitterMs;
    warnings.push({
      source: 'agent-network',
      message: dropping ? 'Your network is dropping audio' : 'Your network is slow: expect delay',
    });
  }
  if (input.otherLine && pathIsPoor(input.otherLine))
    warnings.push({
      source: 'other-line',
      message:
        input.otherParty === 'customer' ? "The customer's line is poor" : "The other agent's line is poor",
    });
  return warnings;
}
