import { useEffect, useState } from 'react';
import { formatDuration } from '../../../lib/format';

/** m:ss since `since`, ticking each second. */
export function CallDuration({ since }: { since: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return (
    <span className="font-mono tabular-nums" role="timer" aria-label="Call duration">
      {formatDuration((now - since) / 1000)}
    </span>
  );
}
