import { type CdrRecord, callTypeLabels } from '@switchboard/shared';
import { useState } from 'react';
import { Alert } from '../../../components/alert';
import { DialButton } from '../../../components/dial-button';
import { PageHeader } from '../../../components/page-header';
import { EmptyRow, Table, Td, Th } from '../../../components/table';
import { WrapUpCode } from '../../../components/wrap-up-code';
import { errorMessage } from '../../../lib/field-errors';
import { browserTimeZone, formatDateTime, formatDuration } from '../../../lib/format';
import { useCurrentUser } from '../../auth/api/get-me';
import { useRecentCdr } from '../api/get-recent-cdr';
import { CallQualityDialog } from '../components/call-quality-dialog';
import { DispositionBadge } from '../components/cdr-table';

/** The CDR screen: the agent's recent calls, each with a call-back button (by call ID). */
export function CdrPage() {
  const { data: user } = useCurrentUser();
  const recent = useRecentCdr();
  const rows = recent.data?.records ?? [];
  const [qualityOf, setQualityOf] = useState<CdrRecord | null>(null);
  return (
    <div>
      <PageHeader title="CDR" description="Your 20 most recent calls. Search older calls in Statistics." />
      {recent.isError ? <Alert tone="error">{errorMessage(recent.error)}</Alert> : null}
      <Table
        caption="Recent calls"
        head={
          <>
            <Th>Started</Th>
            <Th>Type</Th>
            <Th>Customer</Th>
            <Th>Number</Th>
            <Th>Disposition</Th>
            <Th className="text-right">Duration</Th>
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          </>
        }
      >
        {recent.isPending ? (
          <EmptyRow colSpan={7}>Loading…</EmptyRow>
        ) : rows.length === 0 ? (
          <EmptyRow colSpan={7}>You have no calls yet.</EmptyRow>
        ) : (
          rows.map((r) => (
            <tr key={r.id} data-testid="recent-cdr-row">
              <Td className="whitespace-nowrap tabular-nums">
                {formatDateTime(r.startedAt, user?.timeZone ?? browserTimeZone())}
              </Td>
              <Td>{callTypeLabels[r.type]}</Td>
              <Td>{r.customerName ?? <span className="text-slate-400">Unknown</span>}</Td>
              <Td className="font-mono text-xs">{r.customerNumber ?? '—'}</Td>
              <Td>
                <DispositionBadge value={r.disposition} />
                <WrapUpCode code={r.wrapupCode} note={r.wrapupNote} />
              </Td>
              <Td className="text-right tabular-nums">{formatDuration(r.durationS)}</Td>
              <Td className="text-right whitespace-nowrap">
                {r.disposition === 'answered' ? (
                  <button
                    type="button"
                    onClick={() => setQualityOf(r)}
                    className="mr-3 text-xs font-medium text-brand-700 hover:underline"
                  >
                    Quality
                  </button>
                ) : null}
                {r.customerNumber ? (
                  <DialButton
                    number={r.customerNumber}
                    reference={{ cdrId: r.id }}
                    label={`Call back ${r.customerName ?? r.customerNumber} — call ${r.id}`}
                  >
                    Call back
                  </DialButton>
                ) : null}
              </Td>
            </tr>
          ))
        )}
      </Table>
      <CallQualityDialog record={qualityOf} onClose={() => setQualityOf(null)} />
    </div>
  );
}
