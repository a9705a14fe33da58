import type { WaitingCall } from '@switchboard/shared';
import { Button } from '../../../components/button';
import { waitingCaller as who } from '../lib/waiting-caller';
import { RemoveCallbackButton } from './remove-callback-button';

/**
 * A waiting call's buttons: serve later, sooner or next, send it to an agent, and (a callback
 * placeholder not being dialled) remove it.
 */
export function WaitingCallActions({
  queueId,
  call,
  index,
  count,
  canAssign,
  moveTo,
  onAssign,
}: {
  queueId: number;
  call: WaitingCall;
  index: number;
  count: number;
  canAssign: boolean;
  moveTo: (from: number, to: number) => void;
  onAssign: (call: WaitingCall) => void;
}) {
  const last = index === count - 1;
  return (
    <span className="flex gap-1">
      <Button
        variant="ghost"
        size="sm"
        disabled={index === 0}
        aria-label={`Serve ${who(call)} later (move up)`}
        title="Serve later (Alt+↑)"
        onClick={() => moveTo(index, index - 1)}
      >
        ↑
      </Button>
      <Button
        variant="ghost"
        size="sm"
        disabled={last}
        aria-label={`Serve ${who(call)} sooner (move down)`}
        title="Serve sooner (Alt+↓)"
        onClick={() => moveTo(index, index + 1)}
      >
        ↓
      </Button>
      <Button
        variant="secondary"
        size="sm"
        disabled={last}
        aria-label={`Serve ${who(call)} next`}
        title="Serve next (Alt+End)"
        onClick={() => moveTo(index, count - 1)}
      >
        Serve next
      </Button>
      {canAssign ? (
        <Button
          variant="secondary"
          size="sm"
          aria-label={`Send ${who(call)} to an agent`}
          onClick={() => onAssign(call)}
        >
          Send to agent
        </Button>
      ) : null}
      {canAssign && call.callback?.status === 'waiting' ? (
        <RemoveCallbackButton queueId={queueId} call={call} />
      ) : null}
    </span>
  );
}
