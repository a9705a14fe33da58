import type { WaitingCall } from '@switchboard/shared';
import { useState } from 'react';
import { Button } from '../../../components/button';
import { errorMessage } from '../../../lib/field-errors';
import { useRemoveWaitingCallback } from '../api/remove-waiting-callback';
import { waitingCaller as who } from '../lib/waiting-caller';

/** Takes a callback placeholder out of its queue, after a confirmation: the customer is not called back. */
export function RemoveCallbackButton({ queueId, call }: { queueId: number; call: WaitingCall }) {
  const [confirming, setConfirming] = useState(false);
  const remove = useRemoveWaitingCallback(queueId);
  if (!confirming) {
    return (
      <Button
        variant="ghost-danger"
        size="sm"
        aria-label={`Remove the callback for ${who(call)}`}
        onClick={() => setConfirming(true)}
      >
        Remove
      </Button>
    );
  }
  return (
    <span className="flex items-center gap-1">
      {remove.isError ? <span className="text-xs text-red-700">{errorMessage(remove.error)}</span> : null}
      <Button
        variant="danger"
        size="sm"
        disabled={remove.isPending}
        onClick={() => remove.mutate(call.callId)}
      >
        Remove callback
      </Button>
      <Button variant="ghost" size="sm" onClick={() => setConfirming(false)}>
        Keep
      </Button>
    </span>
  );
}
