import { useEffect, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { useDialer } from '../../../lib/dialer';
import { formatDateTime } from '../../../lib/format';
import { useLiveEvent } from '../../../lib/live-events/live-events-provider';
import { showDesktopNotification } from '../../../lib/notify';
import { useCallbackPlan } from '../api/get-callback-plan';

/**
 * When a callback comes due, a pop-up dialog reminds the agent. A
 * `callback_plan` event with status `due` opens this dialog (and a desktop notification) with the
 * customer and a Call button. Plans no longer due (done, cancelled) are not shown.
 */
export function CallbackReminder({ timeZone }: { timeZone: string }) {
  const [queue, setQueue] = useState<number[]>([]);
  const [dismissed, setDismissed] = useState<Set<number>>(() => new Set());
  const [error, setError] = useState<string | null>(null);
  useLiveEvent('callback_plan', (e) => {
    if (e.status !== 'due') return;
    setQueue((q) => (q.includes(e.planId) ? q : [...q, e.planId]));
  });
  const planId = queue.find((id) => !dismissed.has(id)) ?? null;
  const plan = useCallbackPlan(planId);
  const dialer = useDialer();
  const p = plan.data && plan.data.status === 'due' ? plan.data : null;

  const dismiss = () => {
    if (planId === null) return;
    setError(null);
    setDismissed((d) => new Set(d).add(planId));
  };

  // a plan that is no longer due (done elsewhere, cancelled) is skipped silently
  useEffect(() => {
    if (planId !== null && plan.data && plan.data.status !== 'due')
      setDismissed((d) => new Set(d).add(planId));
  }, [planId, plan.data]);

  const who = p ? (p.customer?.name ?? p.number ?? 'a customer') : '';
  useEffect(() => {
    if (!p) return;
    return showDesktopNotification('Callback due', `Call back ${who}`, `switchboard-callback-${p.id}`);
  }, [p, who]);

  return (
    <Dialog open={p !== null} title="Callback due" onClose={dismiss} size="sm">
      {p ? (
        <div className="space-y-3 text-sm">
          <p>
            It is time to call back <strong data-testid="callback-customer">{who}</strong>
            {p.number ? <span className="ml-1 font-mono text-slate-600">{p.number}</span> : null}.
          </p>
          <p className="text-slate-500">Due {formatDateTime(p.dueAt, timeZone)}</p>
          {p.note ? <p className="rounded bg-slate-50 p-2 whitespace-pre-wrap">{p.note}</p> : null}
          {error ? <Alert tone="error">{error}</Alert> : null}
          {!dialer.ready && dialer.reason ? <p className="text-xs text-slate-500">{dialer.reason}</p> : null}
          <div className="flex justify-end gap-2 pt-2">
            <Button variant="secondary" onClick={dismiss}>
              Later
            </Button>
            <Button
              disabled={!dialer.ready || !p.number}
              onClick={() => {
                if (!p.number) return;
                // By the plan's phone reference when it has one: a number masked for the agent still dials.
                dialer
                  .dial(p.number, p.phoneId ? { customerPhoneId: p.phoneId } : { callbackPlanId: p.id })
                  .then(dismiss)
                  .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
              }}
            >
              Call
            </Button>
          </div>
        </div>
      ) : null}
    </Dialog>
  );
}
