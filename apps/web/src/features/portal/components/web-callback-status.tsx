import type { CallLegStatus, WebCallback } from '@switchboard/shared';
import { useEffect, useState } from 'react';
import { Badge, type BadgeTone } from '../../../components/badge';
import { Button } from '../../../components/button';
import { Card } from '../../../components/card';
import { formatDuration } from '../../../lib/format';

const legStatus: Record<CallLegStatus, { label: string; tone: BadgeTone }> = {
  dialing: { label: 'Dialing', tone: 'gray' },
  alerting: { label: 'Alerting', tone: 'blue' },
  early_media: { label: 'Alerting', tone: 'blue' },
  connected: { label: 'Connected', tone: 'green' },
  busy: { label: 'Busy', tone: 'amber' },
  no_answer: { label: 'No answer', tone: 'amber' },
  rejected: { label: 'Rejected', tone: 'red' },
  failed: { label: 'Failed', tone: 'red' },
  ended: { label: 'Ended', tone: 'gray' },
};

export function LegStatusBadge({ status }: { status: CallLegStatus | null }) {
  if (!status) return <Badge>Waiting</Badge>;
  const s = legStatus[status];
  return <Badge tone={s.tone}>{s.label}</Badge>;
}

const callStatus: Record<WebCallback['status'], string> = {
  calling_you: 'Calling you…',
  calling_destination: 'Calling the destination…',
  connected: 'Connected',
  ended: 'Ended',
};

function useNow(active: boolean) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

/** A web callback as it happens: each leg's status with its cause, the running time, the cost, hang up. */
export function WebCallbackStatus({
  call,
  onHangUp,
  hangingUp,
}: {
  call: WebCallback;
  onHangUp: () => void;
  hangingUp: boolean;
}) {
  const live = call.status !== 'ended';
  const now = useNow(live && call.connectedAt !== null);
  const seconds = call.connectedAt === null ? 0 : live ? (now - call.connectedAt) / 1000 : call.durationS;
  return (
    <Card title={live ? 'Call in progress' : 'Last call'}>
      <div className="space-y-4" data-testid="web-callback-status" data-status={call.status}>
        <div className="flex flex-wrap items-center justify-between gap-3">
          <p className="text-lg font-semibold" aria-live="polite">
            {callStatus[call.status]}
          </p>
          {live ? (
            <Button variant="danger" onClick={onHangUp} disabled={hangingUp}>
              Hang up
            </Button>
          ) : null}
        </div>
        <ul className="divide-y divide-slate-100 rounded-md border border-slate-200">
          {call.legs.map((leg) => (
            <li
              key={leg.side}
              className="flex flex-wrap items-center justify-between gap-2 px-4 py-3"
              data-testid={`leg-${leg.side}`}
              data-status={leg.status ?? 'waiting'}
            >
              <div>
                <p className="text-xs font-medium tracking-wide text-slate-500 uppercase">
                  {leg.side === 'a' ? 'Your phone' : 'Destination'}
                </p>
                <p className="font-medium tabular-nums">{leg.number}</p>
              </div>
              <div className="text-right">
                <LegStatusBadge status={leg.status} />
                {leg.causeText && leg.status !== 'connected' ? (
                  <p className="mt-1 text-xs text-slate-500">{leg.causeText}</p>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
        <dl className="grid grid-cols-2 gap-y-2 text-sm sm:grid-cols-4">
          <dt className="text-slate-500">Talk time</dt>
          <dd className="font-medium tabular-nums" data-testid="web-callback-time">
            {formatDuration(seconds)}
          </dd>
          <dt className="text-slate-500">Cost</dt>
          <dd className="font-medium tabular-nums" data-testid="web-callback-cost">
            {call.cost !== null ? `${call.cost} ${call.currency}` : live ? 'When the call ends' : '—'}
          </dd>
          {call.maxDurationS !== null && live ? (
            <>
              <dt className="text-slate-500">Your credit allows</dt>
              <dd className="font-medium tabular-nums">{formatDuration(call.maxDurationS)}</dd>
            </>
          ) : null}
        </dl>
        {call.outcome ? (
          <p className="text-sm text-slate-700" data-testid="web-callback-outcome">
            {call.outcome}
          </p>
        ) : null}
      </div>
    </Card>
  );
}
