import type { Recording, RecordingSearchParams } from '@switchboard/shared';
import { type FormEvent, useState } from 'react';
import { Alert } from '../../../components/alert';
import { PageHeader } from '../../../components/page-header';
import { Pagination } from '../../../components/pagination';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { browserTimeZone, fromDateTimeInput } from '../../../lib/format';
import { useCurrentUser } from '../../auth/api/get-me';
import { useRecordings } from '../api/search-recordings';
import { PlayerDialog } from '../components/player-dialog';
import {
  emptyRecordingFilters as empty,
  type RecordingFilters,
  RecordingSearchForm,
} from '../components/recording-search-form';
import { RecordingsTable } from '../components/recordings-table';

/** The applied filters as search parameters, times read in the user's time zone. */
function searchParams(applied: RecordingFilters, page: number, tz: string): RecordingSearchParams {
  const time = (s: string) => {
    const ms = fromDateTimeInput(s, tz);
    return ms === null ? undefined : String(ms);
  };
  return {
    customer: applied.customer || undefined,
    number: applied.number || undefined,
    from: time(applied.from),
    to: time(applied.to),
    type: applied.type || undefined,
    page,
  };
}

/** Recording List. */
export function RecordingsPage() {
  const { data: user } = useCurrentUser();
  const [form, setForm] = useState(empty);
  const [applied, setApplied] = useState(empty);
  const [page, setPage] = useState(1);
  const [playing, setPlaying] = useState<Recording | null>(null);
  const tz = user?.timeZone ?? browserTimeZone();
  const list = useRecordings(searchParams(applied, page, tz));
  const errors = fieldErrorsOf(list.error);
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
      <RecordingSearchForm
        form={form}
        setForm={setForm}
        errors={errors}
        numbersMasked={list.data?.numbersMasked}
        onSubmit={submit}
        onClear={() => {
          setForm(empty);
          setApplied(empty);
          setPage(1);
        }}
      />
      {list.isError && Object.keys(errors).length === 0 ? (
        <Alert tone="error">{errorMessage(list.error)}</Alert>
      ) : null}
      <RecordingsTable
        rows={list.data?.recordings ?? []}
        loading={list.isPending}
        timeZone={tz}
        onPlay={setPlaying}
      />
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
