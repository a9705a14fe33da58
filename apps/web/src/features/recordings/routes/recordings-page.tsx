import { callTypeLabels, callTypes, type Recording, type RecordingSearchParams } from '@switchboard/shared';
import { type FormEvent, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { PageHeader } from '../../../components/page-header';
import { Pagination } from '../../../components/pagination';
import { SelectField } from '../../../components/select-field';
import { EmptyRow, Table, Td, Th } from '../../../components/table';
import { TextField } from '../../../components/text-field';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { browserTimeZone, formatDateTime, formatDuration, fromDateTimeInput } from '../../../lib/format';
import { useCurrentUser } from '../../auth/api/get-me';
import { recordingDownloadUrl, useRecordings } from '../api/search-recordings';
import { PlayerDialog } from '../components/player-dialog';

const empty = { customer: '', number: '', from: '', to: '', type: '' };

/** Recording List. */
export function RecordingsPage() {
  const { data: user } = useCurrentUser();
  const [form, setForm] = useState(empty);
  const [applied, setApplied] = useState(empty);
  const [page, setPage] = useState(1);
  const [playing, setPlaying] = useState<Recording | null>(null);
  const tz = user?.timeZone ?? browserTimeZone();
  const time = (s: string) => {
    const ms = fromDateTimeInput(s, tz);
    return ms === null ? undefined : String(ms);
  };
  const params: RecordingSearchParams = {
    customer: applied.customer || undefined,
    number: applied.number || undefined,
    from: time(applied.from),
    to: time(applied.to),
    type: applied.type || undefined,
    page,
  };
  const list = useRecordings(params);
  const errors = fieldErrorsOf(list.error);
  const rows = list.data?.recordings ?? [];
  const set = (k: keyof typeof empty) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setApplied(form);
    setPage(1);
  };

  return (
    <div>
      <PageHeader
        title="Recordings"
        description={
          user?.role === 'agent'
            ? 'Your recorded calls, most recent first.'
            : 'Recorded calls of every agent, most recent first.'
        }
      />
      <form
        onSubmit={submit}
        aria-label="Search recordings"
        className="mb-5 grid grid-cols-2 gap-4 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200 md:grid-cols-5"
      >
        <TextField
          label="Customer"
          value={form.customer}
          onChange={set('customer')}
          error={errors.customer}
        />
        <TextField
          label="Number"
          value={form.number}
          onChange={set('number')}
          inputMode="tel"
          placeholder="e.g. 5963"
          disabled={list.data?.numbersMasked}
          hint={list.data?.numbersMasked ? 'Numbers are masked for you' : undefined}
          error={errors.number}
        />
        <TextField
          label="From"
          type="datetime-local"
          value={form.from}
          onChange={set('from')}
          error={errors.from}
        />
        <TextField label="To" type="datetime-local" value={form.to} onChange={set('to')} error={errors.to} />
        <SelectField label="Type" value={form.type} onChange={set('type')} error={errors.type}>
          <option value="">All types</option>
          {callTypes.map((t) => (
            <option key={t} value={t}>
              {callTypeLabels[t]}
            </option>
          ))}
        </SelectField>
        <div className="col-span-2 flex justify-end gap-2 md:col-span-5">
          <Button
            variant="ghost"
            onClick={() => {
              setForm(empty);
              setApplied(empty);
              setPage(1);
            }}
          >
            Clear
          </Button>
          <Button type="submit">Search</Button>
        </div>
      </form>
      {list.isError && Object.keys(errors).length === 0 ? (
        <Alert tone="error">{errorMessage(list.error)}</Alert>
      ) : null}
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
        {list.isPending ? (
          <EmptyRow colSpan={7}>Loading…</EmptyRow>
        ) : rows.length === 0 ? (
          <EmptyRow colSpan={7}>
            No recordings match. Calls are recorded when the administrator enables recording on the extension.
          </EmptyRow>
        ) : (
          rows.map((r) => (
            <tr key={r.id} data-testid="recording-row">
              <Td className="whitespace-nowrap tabular-nums">{formatDateTime(r.startedAt, tz)}</Td>
              <Td>{callTypeLabels[r.type]}</Td>
              <Td>{r.customerName ?? <span className="text-slate-400">Unknown</span>}</Td>
              <Td className="font-mono text-xs">{r.customerNumber ?? '—'}</Td>
              <Td>{r.agentName ?? '—'}</Td>
              <Td className="text-right tabular-nums">{formatDuration(r.durationMs / 1000)}</Td>
              <Td className="whitespace-nowrap text-right">
                <div className="flex justify-end gap-2">
                  <Button
                    variant="secondary"
                    onClick={() => setPlaying(r)}
                    aria-label={`Play recording ${r.id}`}
                  >
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
      {list.data ? (
        <Pagination
          page={page}
          limit={list.data.pageSize}
          total={list.data.total}
          onPage={setPage}
          noun="recordings"
        />
      ) : null}
      {playing ? <PlayerDialog recording={playing} timeZone={tz} onClose={() => setPlaying(null)} /> : null}
    </div>
  );
}
