import { useEffect, useState } from 'react';
import { getCurrentCallQuality } from '../api/get-current-call-quality';
import {
  assessCallQuality,
  browserAudioStats,
  type CallQualityView,
  type QualitySample,
  stickyWarnings,
  type WarningHistory,
} from '../lib/call-quality-sample';
import type { SoftphoneEngine } from '../lib/engine-types';

/** Often enough to warn while the problem is on, seldom enough to cost nothing. */
const pollMs = 2000;

/**
 * The call bar's quality indicator: every two seconds during a connected call, the browser's
 * getStats and the switch's measurements of both legs, assessed over the window since the last poll.
 */
export function useCallQuality(engine: SoftphoneEngine | null, connected: boolean): CallQualityView | null {
  const [view, setView] = useState<CallQualityView | null>(null);
  useEffect(() => {
    if (!engine || !connected) {
      setView(null);
      return;
    }
    let previous: QualitySample | null = null;
    let history: WarningHistory = new Map();
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const poll = async () => {
      try {
        const [report, server] = await Promise.all([
          engine.getStats(),
          getCurrentCallQuality().catch(() => null),
        ]);
        if (stopped || !report) return;
        const entries: Record<string, unknown>[] = [];
        report.forEach((s: Record<string, unknown>) => {
          entries.push(s);
        });
        const sample: QualitySample = { browser: browserAudioStats(entries), server: server?.call ?? null };
        const assessed = assessCallQuality(previous, sample);
        const sticky = stickyWarnings(history, assessed.warnings, Date.now());
        history = sticky.history;
        setView({ ...assessed, warnings: sticky.warnings });
        previous = sample;
      } catch {
        // a failed poll keeps the last reading; the next one tries again
      } finally {
        if (!stopped) timer = setTimeout(() => void poll(), pollMs);
      }
    };
    timer = setTimeout(() => void poll(), pollMs);
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [engine, connected]);
  return view;
}
