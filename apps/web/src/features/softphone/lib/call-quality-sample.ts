import {
  type CurrentCallQuality,
  endToEnd,
  type LegQuality,
  mosEstimate,
  type PacketCounters,
  type PathFigures,
  type QualityLevel,
  type QualityWarning,
  qualityLevel,
  qualityWarnings,
  windowLossRate,
  worstOf,
} from '@switchboard/shared';

/** What the browser's getStats says about the call's audio (RTCStatsReport entries, duck-typed). */
export interface BrowserAudioStats {
  /** The switch → browser stream as received here. */
  inbound: (PacketCounters & { jitterMs: number | null }) | null;
  /** The browser → switch stream as the switch reports it back (RTCP receiver report). */
  remoteLossRate: number | null;
  remoteJitterMs: number | null;
  rttMs: number | null;
}

type StatsEntry = Record<string, unknown> & { type?: unknown };
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const ms = (seconds: unknown) => {
  const s = num(seconds);
  return s === null ? null : s * 1000;
};

export function browserAudioStats(entries: Iterable<StatsEntry>): BrowserAudioStats {
  const out: BrowserAudioStats = { inbound: null, remoteLossRate: null, remoteJitterMs: null, rttMs: null };
  let pairRtt: number | null = null;
  for (const s of entries) {
    if (s.type === 'inbound-rtp' && s.kind === 'audio') {
      out.inbound = {
        received: num(s.packetsReceived) ?? 0,
        lost: Math.max(0, num(s.packetsLost) ?? 0),
        jitterMs: ms(s.jitter),
      };
    } else if (s.type === 'remote-inbound-rtp' && s.kind === 'audio') {
      out.remoteLossRate = num(s.fractionLost);
      out.remoteJitterMs = ms(s.jitter);
      out.rttMs = ms(s.roundTripTime) ?? out.rttMs;
    } else if (s.type === 'candidate-pair' && s.state === 'succeeded' && (s.nominated ?? true)) {
      pairRtt = ms(s.currentRoundTripTime) ?? pairRtt;
    }
  }
  out.rttMs ??= pairRtt;
  return out;
}

/** One poll: the browser's view and the switch's (null when the server answered nothing). */
export interface QualitySample {
  browser: BrowserAudioStats;
  server: CurrentCallQuality['call'];
}

export interface CallQualityView {
  mos: number;
  level: QualityLevel;
  agentNetwork: PathFigures;
  otherLine: PathFigures | null;
  otherParty: 'customer' | 'agent';
  warnings: QualityWarning[];
}

const counters = (q: LegQuality): PacketCounters => ({ received: q.packetsReceived, lost: q.packetsLost });

/**
 * The call's quality over the window since the previous sample: the agent's network is what the
 * browser and the switch both measure of the browser leg (the worst of them), the other line what the
 * switch measures of the other party's leg; the MOS is for the whole path, end to end.
 */
export function assessCallQuality(previous: QualitySample | null, current: QualitySample): CallQualityView {
  const b = current.browser;
  const agentLeg = current.server?.agentLeg ?? null;
  const otherLeg = current.server?.otherLeg ?? null;
  const prevAgentLeg =
    previous?.server?.callId === current.server?.callId ? previous?.server?.agentLeg : null;
  const prevOtherLeg =
    previous?.server?.callId === current.server?.callId ? previous?.server?.otherLeg : null;

  const agentNetwork = worstOf(
    {
      lossRate: b.inbound ? windowLossRate(previous?.browser.inbound ?? null, b.inbound) : null,
      jitterMs: b.inbound?.jitterMs ?? null,
      rttMs: b.rttMs,
    },
    { lossRate: b.remoteLossRate, jitterMs: b.remoteJitterMs, rttMs: null },
    agentLeg
      ? {
          lossRate: windowLossRate(prevAgentLeg ? counters(prevAgentLeg) : null, counters(agentLeg)),
          jitterMs: agentLeg.jitterMs,
          rttMs: agentLeg.rttMs,
        }
      : { lossRate: null, jitterMs: null, rttMs: null },
  );
  const otherLine = otherLeg
    ? worstOf(
        {
          lossRate: windowLossRate(prevOtherLeg ? counters(prevOtherLeg) : null, counters(otherLeg)),
          jitterMs: otherLeg.jitterMs,
          rttMs: otherLeg.rttMs,
        },
        { lossRate: otherLeg.remoteLossRate, jitterMs: otherLeg.remoteJitterMs, rttMs: null },
      )
    : null;
  const otherParty = current.server?.otherParty ?? 'customer';
  const mos = mosEstimate(otherLine ? endToEnd(agentNetwork, otherLine) : agentNetwork);
  return {
    mos,
    level: qualityLevel(mos),
    agentNetwork,
    otherLine,
    otherParty,
    warnings: qualityWarnings({ agentNetwork, otherLine, otherParty }),
  };
}

/** When each warning was last due (by its source). */
export type WarningHistory = ReadonlyMap<QualityWarning['source'], { at: number; warning: QualityWarning }>;

/**
 * A warning stays up for `holdMs` after the last window that called for it: loss comes in bursts,
 * and a warning blinking every two seconds reads as noise, not as a problem.
 */
export function stickyWarnings(
  history: WarningHistory,
  due: QualityWarning[],
  now: number,
  holdMs = 6000,
): { warnings: QualityWarning[]; history: WarningHistory } {
  const next = new Map(history);
  for (const w of due) next.set(w.source, { at: now, warning: w });
  for (const [source, h] of next) if (now - h.at > holdMs) next.delete(source);
  const order: QualityWarning['source'][] = ['agent-network', 'other-line'];
  const warnings = order.flatMap((s) => {
    const h = next.get(s);
    return h ? [h.warning] : [];
  });
  return { warnings, history: next };
}
