import { useLiveConnection } from './live-events-provider';

/** A small top-bar notice while live updates are down; nothing while they flow. */
export function LiveStatus() {
  const { state, retryNow } = useLiveConnection();
  if (state.status === 'open') return null;
  if (state.status === 'connecting')
    return (
      <span className="text-xs text-slate-500" data-testid="live-status">
        Connecting live updates…
      </span>
    );
  return (
    <span role="status" className="flex items-center gap-2 text-xs text-amber-800" data-testid="live-status">
      Live updates paused: {state.reason}. Reconnecting…
      <button type="button" className="underline" onClick={retryNow}>
        Retry now
      </button>
    </span>
  );
}
