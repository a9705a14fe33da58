import { useState } from 'react';
import { Alert } from '../../../components/alert';
import { Pagination } from '../../../components/pagination';
import { EmptyRow, Table, Td, Th } from '../../../components/table';
import { errorMessage } from '../../../lib/field-errors';
import { formatDateTime, formatDuration } from '../../../lib/format';
import { usePortalCalls } from '../api/portal-account';
import { browserTimeZone, PortalLayout } from '../components/portal-layout';

const dispositionLabels: Record<string, string> = {
  answered: 'Answered',
  unanswered: 'No answer',
  busy: 'Busy',
  failed: 'Failed',
};

export function PortalCallsPage() {
  const [page, setPage] = useState(1);
  const calls = usePortalCalls(page);
  const rows = calls.data?.calls ?? [];
  return (
    <PortalLayout>
      <h1 className="text-lg font-semibold">Call history</h1>
      {calls.isError ? <Alert tone="error">{errorMessage(calls.error)}</Alert> : null}
      <Table
        caption="Your calls"
        head={
          <>
            <Th>Started</Th>
            <Th>Number called</Th>
            <Th>Result</Th>
            <Th className="text-right">Duration</Th>
            <Th className="text-right">Cost</Th>
          </>
        }
      >
        {calls.isPending ? (
          <EmptyRow colSpan={5}>Loading…</EmptyRow>
        ) : rows.length === 0 ? (
          <EmptyRow colSpan={5}>No calls yet.</EmptyRow>
        ) : (
          rows.map((c) => (
            <tr key={c.id} data-testid="portal-call-row">
              <Td className="whitespace-nowrap">{formatDateTime(c.startedAt, browserTimeZone)}</Td>
              <Td className="tabular-nums">{c.destination ?? '—'}</Td>
              <Td>{c.disposition ? (dispositionLabels[c.disposition] ?? c.disposition) : 'In progress'}</Td>
              <Td className="text-right tabular-nums">{formatDuration(c.durationS)}</Td>
              <Td className="text-right tabular-nums">{c.cost === null ? '—' : `${c.cost} ${c.currency}`}</Td>
            </tr>
          ))
        )}
      </Table>
      {calls.data && calls.data.total > calls.data.pageSize ? (
        <Pagination
          page={page}
          limit={calls.data.pageSize}
          total={calls.data.total}
          onPage={setPage}
          noun="calls"
        />
      ) : null}
    </PortalLayout>
  );
}
