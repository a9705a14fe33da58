import { callTypeLabels } from '@switchboard/shared';
import { useState } from 'react';
import { Alert } from '../../../components/alert';
import { Badge } from '../../../components/badge';
import { Button } from '../../../components/button';
import { Card } from '../../../components/card';
import { WrapUpCode } from '../../../components/wrap-up-code';
import { useDialer } from '../../../lib/dialer';
import { formatDateTime, formatDuration } from '../../../lib/format';
import { useRecentCdr } from '../api/get-recent-cdr';

const dispositionTone = { answered: 'green', unanswered: 'amber', busy: 'amber', failed: 'red' } as const;

/** The desk's "CDR" part: the agent's recent calls with a call-back button. */
export function RecentCdrCard({ timeZone }: { timeZone: string }) {
  const recent = useRecentCdr();
  const dialer = useDialer();
  const [error, setError] = useState<string | null>(null);

  return (
    <Card title="Recent calls" className="min-w-0 lg:col-span-3">
      {error ? (
        <div className="mb-3">
          <Alert tone="error">{error}</Alert>
        </div>
      ) : null}
      {recent.isPending ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : recent.error ? (
        <Alert tone="error">Recent calls could not be loaded: {recent.error.message}</Alert>
      ) : recent.data.records.length === 0 ? (
        <p className="text-sm text-slate-500">No calls yet.</p>
      ) : (
        <div className="-mx-5 overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Your last {recent.data.records.length} calls</caption>
            <thead className="text-xs text-slate-500 uppercase">
              <tr>
                <th className="px-5 py-2 font-semibold">Time</th>
                <th className="px-2 py-2 font-semibold">Customer</th>
                <th className="px-2 py-2 font-semibold">Type</th>
                <th className="px-2 py-2 font-semibold">Result</th>
                <th className="px-2 py-2 font-semibold">Duration</th>
                <th className="px-5 py-2">
                  <span className="sr-only">Call back</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {recent.data.records.map((r) => {
                const number = r.customerNumber;
                // By the call's reference: the switch dials the real number, masked or not.
                const reason = !number ? 'No number on this call' : dialer.reason;
                return (
                  <tr key={r.id}>
                    <td className="px-5 py-2 whitespace-nowrap text-slate-600">
                      {formatDateTime(r.startedAt, timeZone)}
                    </td>
                    <td className="px-2 py-2">
                      <div className="font-medium">{r.customerName ?? 'Unknown'}</div>
                      <div className="font-mono text-xs text-slate-500">{number ?? '—'}</div>
                    </td>
                    <td className="px-2 py-2 whitespace-nowrap">{callTypeLabels[r.type]}</td>
                    <td className="px-2 py-2">
                      {r.disposition ? (
                        <Badge tone={dispositionTone[r.disposition]}>{r.disposition}</Badge>
                      ) : (
                        '—'
                      )}
                      <WrapUpCode code={r.wrapupCode} note={r.wrapupNote} />
                    </td>
                    <td className="px-2 py-2 font-mono tabular-nums">{formatDuration(r.durationS)}</td>
                    <td className="px-5 py-2 text-right">
                      <Button
                        size="sm"
                        variant="secondary"
                        disabled={reason !== null}
                        title={reason ?? `Call ${number} back`}
                        aria-label={`Call back ${r.customerName ?? number ?? 'customer'}`}
                        onClick={() => {
                          if (!number) return;
                          setError(null);
                          dialer
                            .dial(number, { cdrId: r.id })
                            .catch((err: unknown) =>
                              setError(err instanceof Error ? err.message : String(err)),
                            );
                        }}
                      >
                        Call back
                      </Button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
