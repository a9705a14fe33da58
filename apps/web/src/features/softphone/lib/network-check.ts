import type { LegQuality } from '@switchboard/shared';
import {
  mosEstimate,
  type PathFigures,
  pathIsPoor,
  poorPathThresholds,
  type QualityLevel,
  qualityLevel,
  windowLossRate,
  worstOf,
} from '@switchboard/shared';
import type { BrowserAudioStats } from './call-quality-sample';

export interface NetworkCheckVerdict {
  figures: PathFigures;
  mos: number;
  level: QualityLevel;
  /** What to tell the agent, in words. */
  message: string;
}

/**
 * The network check's verdict: the worst of what the browser received from the switch and what the
 * switch received from the browser, over the whole test.
 */
export function networkCheckVerdict(
  browser: BrowserAudioStats,
  switchReceived: LegQuality | null,
): NetworkCheckVerdict {
  const figures = worstOf(
    {
      lossRate: browser.inbound ? windowLossRate(null, browser.inbound) : null,
      jitterMs: browser.inbound?.jitterMs ?? null,
      rttMs: browser.rttMs,
    },
    switchReceived
      ? { lossRate: switchReceived.lossRate, jitterMs: switchReceived.jitterMs, rttMs: switchReceived.rttMs }
      : { lossRate: null, jitterMs: null, rttMs: null },
  );
  const mos = mosEstimate(figures);
  const noneArrived = !browser.inbound?.received;
  const noneSent = switchReceived !== null && switchReceived.packetsReceived === 0;
  const poor = noneArrived || noneSent || pathIsPoor(figures);
  const level = poor ? 'poor' : qualityLevel(mos);
  const t = poorPathThresholds;
  const message = noneArrived
    ? 'No audio arrived from the switch: a firewall may block the call audio (UDP). Contact your administrator.'
    : noneSent
      ? 'The switch received no audio from this browser: a firewall may block the call audio (UDP). Contact your administrator.'
      : !poor
        ? level === 'good'
          ? 'Your network is good for calls.'
          : 'Your network is fair for calls: customers may notice an occasional glitch.'
        : (figures.lossRate ?? 0) >= t.lossRate
          ? 'Your network is dropping audio: calls will sound choppy. Use a cable instead of Wi-Fi, or close downloads and video.'
          : (figures.jitterMs ?? 0) >= t.jitterMs
            ? 'Your network delivers audio unevenly: calls will sound choppy. Use a cable instead of Wi-Fi.'
            : 'Your network is slow: expect delay on calls.';
  return { figures, mos, level, message };
}
