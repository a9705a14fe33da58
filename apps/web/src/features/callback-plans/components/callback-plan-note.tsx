import { Alert } from '../../../components/alert';
import { Card } from '../../../components/card';
import type { DeskUser } from '../../../lib/desk-user';
import { errorMessage } from '../../../lib/field-errors';
import { formatDateTime } from '../../../lib/format';
import { useCallbackPlanDetail } from '../api/get-plan-attempts';

/**
 * The callback plan a dialled call is for, at the top of its customer window: why the agent is
 * calling back (the plan's note) and when it was due (docs/dialer.md, "Screen pop").
 */
export function CallbackPlanNote({ viewer, planId }: { viewer: DeskUser; planId: number }) {
  const plan = useCallbackPlanDetail(planId);
  if (plan.isPending) return <p className="text-sm text-slate-500">Loading the callback plan…</p>;
  if (plan.isError) return <Alert tone="error">{errorMessage(plan.error)}</Alert>;
  const p = plan.data;
  return (
    <Card title="Scheduled callback">
      <div className="space-y-2 text-sm" data-testid="callback-plan-note">
        <p className="text-slate-600">
          Due {formatDateTime(p.dueAt, viewer.timeZone)}
          {p.customer ? ` · ${p.customer.name}` : ''}
        </p>
        {p.note ? (
          <p className="rounded bg-amber-50 p-2 whitespace-pre-wrap text-slate-900 ring-1 ring-amber-200">
            {p.note}
          </p>
        ) : (
          <p className="text-slate-500">No note on this plan.</p>
        )}
      </div>
    </Card>
  );
}
