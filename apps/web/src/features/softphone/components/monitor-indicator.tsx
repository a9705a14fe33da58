import { useEffect, useState } from 'react';
import type { LiveEventOf } from '../../../lib/live-events/live-events-client';
import { useLiveEvent } from '../../../lib/live-events/live-events-provider';

type MonitorEvent = LiveEventOf<'monitor'>;

/**
 * A discreet mark in the agent's call bar while a supervisor can be heard on the call: coaching
 * (whisper, only the agent hears them) or on the call (barge). Silent listening is never shown, and
 * nothing at all when the administrator turned the indicator off (docs/supervisor.md).
 */
export function MonitorIndicator({ active }: { active: boolean }) {
  const [heard, setHeard] = useState<MonitorEvent | null>(null);
  useLiveEvent('monitor', (e) => {
    if (e.audience !== 'agent') return;
    setHeard(e.state === 'active' ? e : null);
  });
  // A new call starts unmarked.
  useEffect(() => {
    if (!active) setHeard(null);
  }, [active]);
  if (!active || !heard) return null;
  const text =
    heard.mode === 'whisper' ? `${heard.supervisor} is coaching you` : `${heard.supervisor} joined the call`;
  return (
    <span
      role="status"
      data-testid="monitor-indicator"
      title={
        heard.mode === 'whisper'
          ? 'A supervisor is speaking to you; the customer does not hear them'
          : 'A supervisor is on the call; everyone hears them'
      }
      className="rounded bg-amber-300 px-1.5 py-0.5 text-xs font-medium text-amber-950"
    >
      {text}
    </span>
  );
}
