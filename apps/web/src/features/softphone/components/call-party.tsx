import type { CallView } from '../lib/engine-types';

/** Who the call is with: the name and the number (or the number alone), and the queue it came through. */
export function CallParty({ call, name }: { call: CallView; name: string | null }) {
  return (
    <span>
      <span className="font-semibold" data-testid="call-party">
        {name ?? call.remote}
      </span>
      {name ? (
        <span className="ml-1 opacity-80" data-testid="call-party-number">
          {call.remote}
        </span>
      ) : null}
      {call.queue ? (
        <span className="ml-2 rounded bg-white/20 px-1.5 py-0.5 text-xs">Queue {call.queue}</span>
      ) : null}
    </span>
  );
}
