import type { AgentStatus } from '@switchboard/shared';
import { type FormEvent, useRef, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Badge, type BadgeTone } from '../../../components/badge';
import { Button } from '../../../components/button';
import { Card } from '../../../components/card';
import { SelectField } from '../../../components/select-field';
import { ApiRequestError } from '../../../lib/api-client';
import { useHotkey } from '../../../lib/hotkeys';
import { useMyAgentState } from '../api/get-agent-state';
import { useUpdateAgentState } from '../api/update-agent-state';
import { agentStatusLabel, queueLineLabel } from '../lib/queue-line';

const statusTone: Record<AgentStatus, BadgeTone> = {
  logged_out: 'gray',
  idle: 'green',
  paused: 'amber',
  on_call: 'blue',
  wrapup: 'indigo',
};

/**
 * The desk's "State Change Module" part: Idle or Paused, in one queue or all, with a reason. Changes from
 * elsewhere (auto-pause, a supervisor) arrive through the live stream and refresh this card.
 */
export function StateModule() {
  const state = useMyAgentState();
  const update = useUpdateAgentState();
  const [scope, setScope] = useState('all');
  const [reason, setReason] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const reasonField = useRef<HTMLDivElement>(null);
  const s0 = state.data;
  const canGoIdle =
    !!s0 &&
    !update.isPending &&
    (s0.status === 'paused' || s0.status === 'logged_out' || s0.queues.some((q) => q.paused));
  useHotkey('ready', () => {
    if (!canGoIdle) return false;
    setFormError(null);
    update.mutate({ status: 'idle', queueIds: scope === 'all' ? undefined : [Number(scope)] });
    return true;
  });
  // Pausing needs a reason: the shortcut takes the agent to the reason list.
  useHotkey('pause', () => {
    const select = reasonField.current?.querySelector('select');
    if (!select) return false;
    select.focus();
    return true;
  });

  if (state.isPending)
    return (
      <Card title="State" className="min-w-0">
        <p className="text-sm text-slate-500">Loading…</p>
      </Card>
    );
  if (state.error) {
    const missing = state.error instanceof ApiRequestError && state.error.status === 404;
    return (
      <Card title="State" className="min-w-0">
        <Alert tone="error">
          {missing
            ? 'Your state cannot be shown: the server does not offer agent state yet.'
            : `Your state could not be loaded: ${state.error.message}`}
        </Alert>
        <Button variant="secondary" size="sm" className="mt-3" onClick={() => void state.refetch()}>
          Try again
        </Button>
      </Card>
    );
  }

  const s = state.data;
  const queueIds = scope === 'all' ? undefined : [Number(scope)];
  const submitPause = (e: FormEvent) => {
    e.preventDefault();
    if (!reason) {
      setFormError('Choose a pause reason');
      return;
    }
    setFormError(null);
    update.mutate({ status: 'paused', reason, queueIds });
  };

  return (
    <Card title="State" className="min-w-0">
      <div className="mb-4 flex items-center gap-2" data-testid="agent-state">
        <Badge tone={statusTone[s.status]}>{agentStatusLabel[s.status]}</Badge>
        {s.reason ? <span className="text-sm text-slate-600">{s.reason}</span> : null}
      </div>
      {s.queues.length > 0 ? (
        <ul className="mb-4 space-y-1 text-sm">
          {s.queues.map((q) => (
            <li key={q.queueId} className="flex justify-between gap-2">
              <span>{q.queueName}</span>
              <span
                className={q.paused ? 'text-amber-800' : 'text-emerald-700'}
                data-testid={`queue-state-${q.queueName}`}
              >
                {queueLineLabel(s.status, q)}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="mb-4 text-sm text-slate-500">You are in no queue.</p>
      )}
      <form onSubmit={submitPause} className="grid gap-3">
        <SelectField label="Queue" value={scope} onChange={(e) => setScope(e.target.value)}>
          <option value="all">All my queues</option>
          {s.queues.map((q) => (
            <option key={q.queueId} value={q.queueId}>
              {q.queueName}
            </option>
          ))}
        </SelectField>
        <div ref={reasonField}>
          <SelectField
            label="Reason"
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
              setFormError(null);
            }}
            error={formError}
          >
            <option value="">Choose…</option>
            {s.pauseReasons.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="flex gap-2">
          <Button type="submit" variant="secondary" disabled={update.isPending}>
            Pause
          </Button>
          <Button
            disabled={!canGoIdle}
            aria-keyshortcuts="Alt+R"
            onClick={() => {
              // Going idle needs no reason: a "choose a reason" left from a Pause press goes.
              setFormError(null);
              update.mutate({ status: 'idle', queueIds });
            }}
          >
            Go idle
          </Button>
        </div>
      </form>
      {update.error ? (
        <div className="mt-3">
          <Alert tone="error">{update.error.message}</Alert>
        </div>
      ) : null}
    </Card>
  );
}
