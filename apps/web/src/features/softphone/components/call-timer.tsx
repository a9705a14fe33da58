import { useEffect, useState } from 'react';
import { formatDuration } from '../../../lib/format';

/** mm:ss since `startedAt`, ticking each second. */
export function CallTimer({ startedAt }: { startedAt: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return (
    <span className="font-mono tabular-nums" data-testid="call-timer" role="timer" aria-label="Call duration">
      {formatDuration((now - startedAt) / 1000)}
    </span>
  );
}
