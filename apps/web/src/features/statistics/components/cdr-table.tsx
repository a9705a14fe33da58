import { type CdrRecord, type CdrSortColumn, cdrTypeLabel } from '@switchboard/shared';
import { type ReactNode, useState } from 'react';
import { Badge, type BadgeTone } from '../../../components/badge';
import { EmptyRow, Table, Td, Th } from '../../../components/table';
import { WrapUpCode } from '../../../components/wrap-up-code';
import { formatDateTime, formatDuration } from '../../../lib/format';
import { CallDetailDialog } from './call-detail-dialog';
import { CallQualityDialog } from './call-quality-dialog';

const dispositionTone: Record<string, BadgeTone> = {
  answered: 'green',
  unanswered: 'amber',
  busy: 'red',
  failed: 'gray',
};

export function DispositionBadge({ value }: { value: CdrRecord['disposition'] }) {
  if (!value) return <Badge>open</Badge>;
  return <Badge tone={dispositionTone[value]}>{value}</Badge>;
}

function SortHeader({
  column,
  sort,
  order,
  onSort,
  children,
  className,
}: {
  column: CdrSortColumn;
  sort: CdrSortColumn;
  order: 'asc' | 'desc';
  onSort: (c: CdrSortColumn) => void;
  children: ReactNode;
  className?: string;
}) {
  const active = sort === column;
  return (
    <Th className={className} aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button
        type="button"
        onClick={() => onSort(column)}
        className="inline-flex items-center gap-1 uppercase hover:text-slate-800"
      >
        {children}
        <span aria-hidden="true" className={active ? 'text-slate-700' : 'text-slate-300'}>
          {active && order === 'asc' ? '▲' : '▼'}
        </span>
      </button>
    </Th>
  );
}

export function CdrTable({
  records,
  timeZone,
  sort,
  order,
  onSort,
  status,
}: {
  records: CdrRecord[];
  timeZone: string;
  sort: CdrSortColumn;
  order: 'asc' | 'desc';
  onSort: (c: CdrSortColumn) => void;
  status: 'pending' | 'error' | 'success';
}) {
  const sortProps = { sort, order, onSort };
  const [qualityOf, setQualityOf] = useState<CdrRecord | null>(null);
  const [detailOf, setDetailOf] = useState<number | null>(null);
  return (
    <>
      <Table
        caption="Call detail records"
        head={
          <>
            <SortHeader column="startedAt" {...sortProps}>
              Started
            </SortHeader>
            <SortHeader column="type" {...sortProps}>
              Type
            </SortHeader>
            <Th>Customer</Th>
            <Th>Number</Th>
            <Th>Queue</Th>
            <Th>Agent</Th>
            <SortHeader column="disposition" {...sortProps}>
              Disposition
            </SortHeader>
            <SortHeader column="duration" {...sortProps} className="text-right">
              Duration
            </SortHeader>
            <SortHeader column="ringTime" {...sortProps} className="text-right">
              Ring
            </SortHeader>
            <Th className="text-right">Cost</Th>
            <Th>
              <span className="sr-only">Call detail and quality</span>
            </Th>
          </>
        }
      >
        {status === 'pending' ? (
          <EmptyRow colSpan={11}>Searching…</EmptyRow>
        ) : records.length === 0 ? (
          <EmptyRow colSpan={11}>No calls match this search.</EmptyRow>
        ) : (
          records.map((r) => (
            <tr key={r.id} data-testid="cdr-row">
              <Td className="whitespace-nowrap tabular-nums">{formatDateTime(r.startedAt, timeZone)}</Td>
              <Td className="whitespace-nowrap">{cdrTypeLabel(r.type, r.service)}</Td>
              <Td>{r.customerName ?? <span className="text-slate-400">Unknown</span>}</Td>
              <Td className="font-mono text-xs whitespace-nowrap">{r.customerNumber ?? '—'}</Td>
              <Td>{r.queueName ?? '—'}</Td>
              <Td>{r.agentName ?? '—'}</Td>
              <Td>
                <DispositionBadge value={r.disposition} />
                <WrapUpCode code={r.wrapupCode} note={r.wrapupNote} />
              </Td>
              <Td className="text-right tabular-nums">{formatDuration(r.durationS)}</Td>
              <Td className="text-right tabular-nums">{r.ringTimeS}s</Td>
              <Td className="text-right tabular-nums whitespace-nowrap">
                {r.cost === null ? <span className="text-slate-400">—</span> : `${r.cost} ${r.costCurrency}`}
              </Td>
              <Td className="text-right">
                <button
                  type="button"
                  onClick={() => setDetailOf(r.id)}
                  aria-label={`Details of the call at ${formatDateTime(r.startedAt, timeZone)}`}
                  className="block w-full text-right text-xs font-medium text-brand-700 hover:underline"
                >
                  Details
                </button>
                {r.disposition === 'answered' ? (
                  <button
                    type="button"
                    onClick={() => setQualityOf(r)}
                    className="mt-1 block w-full text-right text-xs font-medium text-brand-700 hover:underline"
                  >
                    Quality
                  </button>
                ) : null}
              </Td>
            </tr>
          ))
        )}
      </Table>
      <CallQualityDialog record={qualityOf} onClose={() => setQualityOf(null)} />
      <CallDetailDialog cdrId={detailOf} timeZone={timeZone} onClose={() => setDetailOf(null)} />
    </>
  );
}
