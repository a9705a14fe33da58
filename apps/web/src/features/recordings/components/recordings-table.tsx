import { callTypeLabels, type Recording } from '@switchboard/shared';
import { Button } from '../../../components/button';
import { EmptyRow, Table, Td, Th } from '../../../components/table';
import { formatDateTime, formatDuration } from '../../../lib/format';
import { recordingDownloadUrl } from '../api/search-recordings';

/** One page of recordings, each with Play and Download. */
export function RecordingsTable({
  rows,
  loading,
  timeZone,
  onPlay,
}: {
  rows: Recording[];
  loading: boolean;
  timeZone: string;
  onPlay: (r: Recording) => void;
}) {
  return (
    <Table
      caption="Recordings"
      head={
        <>
          <Th>Started</Th>
          <Th>Type</Th>
          <Th>Customer</Th>
          <Th>Number</Th>
          <Th>Agent</Th>
          <Th className="text-right">Length</Th>
          <Th>
            <span className="sr-only">Actions</span>
          </Th>
        </>
      }
    >
      {loading ? (
        <EmptyRow colSpan={7}>Loading…</EmptyRow>
      ) : rows.length === 0 ? (
        <EmptyRow colSpan={7}>
          No recordings match. Calls are recorded when the administrator enables recording on the extension.
        </EmptyRow>
      ) : (
        rows.map((r) => (
          <tr key={r.id} data-testid="recording-row">
            <Td className="whitespace-nowrap tabular-nums">{formatDateTime(r.startedAt, timeZone)}</Td>
            <Td>{callTypeLabels[r.type]}</Td>
            <Td>{r.customerName ?? <span className="text-slate-400">Unknown</span>}</Td>
            <Td className="font-mono text-xs">{r.customerNumber ?? '—'}</Td>
            <Td>{r.agentName ?? '—'}</Td>
            <Td className="text-right tabular-nums">{formatDuration(r.durationMs / 1000)}</Td>
            <Td className="whitespace-nowrap text-right">
              <div className="flex justify-end gap-2">
                <Button variant="secondary" onClick={() => onPlay(r)} aria-label={`Play recording ${r.id}`}>
                  Play
                </Button>
                <a
                  href={recordingDownloadUrl(r.id)}
                  download
                  aria-label={`Download recording ${r.id}`}
                  className="inline-flex items-center rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100"
                >
                  Download
                </a>
              </div>
            </Td>
          </tr>
        ))
      )}
    </Table>
  );
}
