import { lazy, Suspense } from 'react';
import { Alert } from '../../../components/alert';
import { Card } from '../../../components/card';
import { useRateTotals } from '../api/get-rate-totals';
import { type RateSlice, rateOf } from '../lib/rate-periods';

const RatePieChart = lazy(() => import('./rate-pie-chart'));

function Line({
  label,
  rate,
  testId,
}: {
  label: string;
  rate: RateSlice & { percent: number | null };
  testId: string;
}) {
  return (
    <div data-testid={testId}>
      <dt className="text-xs font-semibold text-slate-500 uppercase">{label}</dt>
      <dd className="text-sm">
        {rate.percent === null ? (
          <span className="text-slate-500">No calls</span>
        ) : (
          <>
            <span className="font-medium text-emerald-700">{rate.answered} answered</span>
            {' · '}
            <span className="font-medium text-amber-700">{rate.notAnswered} not answered</span>
            <span className="text-slate-500"> ({rate.percent}% answered)</span>
          </>
        )}
      </dd>
    </div>
  );
}

/** The desk's "Rate" part: the two pie charts with the numbers beside them (also for screen readers). */
export function RateCard({ userId, timeZone }: { userId: number; timeZone: string }) {
  const totals = useRateTotals(userId, timeZone);
  return (
    <Card title="Rate" className="min-w-0">
      {totals.isPending ? (
        <p className="h-60 animate-pulse rounded bg-slate-50 text-sm text-slate-500">Loading rates…</p>
      ) : totals.error ? (
        <Alert tone="error">Rates could not be loaded: {totals.error.message}</Alert>
      ) : (
        <div className="flex flex-wrap items-center gap-6">
          <figure className="m-0" aria-label="Answered rate charts">
            <Suspense fallback={<div className="h-60 w-60 animate-pulse rounded-full bg-slate-50" />}>
              <RatePieChart month={rateOf(totals.data.month)} yesterday={rateOf(totals.data.yesterday)} />
            </Suspense>
          </figure>
          <dl className="space-y-3">
            <Line label="Current month (inner)" rate={rateOf(totals.data.month)} testId="rate-month" />
            <Line
              label="Yesterday (outer ring)"
              rate={rateOf(totals.data.yesterday)}
              testId="rate-yesterday"
            />
            <div className="flex gap-3 pt-1 text-xs text-slate-600" aria-hidden="true">
              <span className="flex items-center gap-1">
                <span className="h-2.5 w-2.5 rounded-sm bg-emerald-600" />
                Answered
              </span>
              <span className="flex items-center gap-1">
                <span className="h-2.5 w-2.5 rounded-sm bg-amber-500" />
                Not answered
              </span>
            </div>
          </dl>
        </div>
      )}
    </Card>
  );
}
