import type { MonitorableCall, MonitorMode } from '@switchboard/shared';
import { useState } from 'react';
import { Button } from '../../../components/button';
import { errorMessage } from '../../../lib/field-errors';
import { useForceAgentState, useSignOutAgent } from '../api/force-agent-state';
import { useMonitorCall } from '../api/monitor-call';

const modes: Array<{ mode: MonitorMode; label: string; hint: string }> = [
  { mode: 'listen', label: 'Listen', hint: 'Hear both sides; nobody hears you' },
  { mode: 'whisper', label: 'Whisper', hint: 'Only the agent hears you' },
  { mode: 'barge', label: 'Barge', hint: 'Join as a three-way call' },
];

/** Listen / whisper / barge on the agent's call (your own phone rings first), then switch or leave. */
export function MonitorButtons({ call }: { call: MonitorableCall }) {
  const monitor = useMonitorCall();
  const session = call.session;
  return (
    <div className="flex flex-wrap items-center gap-1" data-testid="monitor-buttons">
      {modes.map((m) => (
        <Button
          key={m.mode}
          size="sm"
          variant={session?.mode === m.mode ? 'primary' : 'secondary'}
          title={m.hint}
          aria-pressed={session?.mode === m.mode}
          disabled={monitor.isPending}
          onClick={() => monitor.mutate({ callId: call.callId, mode: m.mode, active: session !== null })}
        >
          {m.label}
        </Button>
      ))}
      {session ? (
        <Button
          size="sm"
          variant="ghost-danger"
          disabled={monitor.isPending}
          onClick={() => monitor.mutate({ callId: call.callId, mode: null, active: true })}
        >
          {session.state === 'ringing' ? 'Cancel (your phone rings)' : 'Leave'}
        </Button>
      ) : null}
      {monitor.isError ? (
        <span role="alert" className="text-xs text-red-700">
          {errorMessage(monitor.error)}
        </span>
      ) : null}
    </div>
  );
}

/** Ready, or pause with a reason, on the agent's behalf. */
export function ForceStateControls({
  userId,
  status,
  reasons,
}: {
  userId: number;
  status: string;
  reasons: string[];
}) {
  const force = useForceAgentState();
  const signOut = useSignOutAgent();
  const [reason, setReason] = useState('');
  if (status === 'logged_out') return null;
  return (
    <div className="flex flex-wrap items-center gap-1">
      {status === 'paused' ? (
        <Button
          size="sm"
          variant="secondary"
          disabled={force.isPending}
          onClick={() => force.mutate({ userId, update: { status: 'idle' } })}
        >
          Make ready
        </Button>
      ) : (
        <>
          <select
            aria-label="Pause reason"
            className="rounded-md border border-slate-300 bg-white py-1 pr-7 pl-2 text-xs"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          >
            <option value="">Reason…</option>
            {reasons.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          <Button
            size="sm"
            variant="secondary"
            disabled={force.isPending || reason === ''}
            onClick={() => force.mutate({ userId, update: { status: 'paused', reason } })}
          >
            Pause
          </Button>
        </>
      )}
      <Button
        size="sm"
        variant="ghost-danger"
        title="Offline in every queue: nothing more is offered until they go ready"
        disabled={signOut.isPending}
        onClick={() => signOut.mutate(userId)}
      >
        Sign out
      </Button>
      {force.isError || signOut.isError ? (
        <span role="alert" className="text-xs text-red-700">
          {errorMessage(force.error ?? signOut.error)}
        </span>
      ) : null}
    </div>
  );
}
