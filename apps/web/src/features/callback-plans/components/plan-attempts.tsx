import type { DeskUser } from '../../../lib/desk-user';
import { errorMessage } from '../../../lib/field-errors';
import { formatDateTime } from '../../../lib/format';
import { usePlanAttempts } from '../api/get-plan-attempts';
import { attemptOutcomeLabels } from './plan-mode';

/** The dials made for one plan and how each went. */
export function PlanAttempts({ viewer, planId }: { viewer: DeskUser; planId: number }) {
  const attempts = usePlanAttempts(planId, true);
  if (attempts.isPending) return <p className="text-sm text-slate-500">Loading attempts…</p>;
  if (attempts.error)
    return <p className="text-sm text-red-700">Could not load attempts: {errorMessage(attempts.error)}</p>;
  if (!attempts.data.length) return <p className="text-sm text-slate-500">Not dialled yet.</p>;
  return (
    <ol className="space-y-1 text-sm" aria-label="Attempts">
      {attempts.data.map((a) => (
        <li key={`${a.at}-${a.outcome}-${a.callId ?? 0}`} className="flex gap-3">
          <span className="tabular-nums text-slate-500">{formatDateTime(a.at, viewer.timeZone)}</span>
          <span className={a.outcome === 'answered' ? 'text-green-700' : 'text-slate-800'}>
            {attemptOutcomeLabels[a.outcome] ?? a.outcome}
          </span>
        </li>
      ))}
    </ol>
  );
}
