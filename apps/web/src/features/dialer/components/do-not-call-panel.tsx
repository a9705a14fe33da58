import { type FormEvent, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { Card } from '../../../components/card';
import { Pagination } from '../../../components/pagination';
import { EmptyRow, Table, Td, Th } from '../../../components/table';
import { TextField } from '../../../components/text-field';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { formatDateTime } from '../../../lib/format';
import { useAddDoNotCall, useImportDoNotCall, useRemoveDoNotCall } from '../api/change-do-not-call';
import { useDoNotCallList } from '../api/get-do-not-call';

/**
 * The do-not-call list (docs/dialer.md, "Do-not-call list"): numbers no outbound path dials — the
 * dialer never, an agent's manual dial is refused, a supervisor's goes through audited. Search,
 * add, remove, and import a CSV file (all or nothing).
 */
export function DoNotCallPanel({ timeZone }: { timeZone: string }) {
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const list = useDoNotCallList(search, page);
  const add = useAddDoNotCall();
  const remove = useRemoveDoNotCall();
  const importCsv = useImportDoNotCall();
  const [number, setNumber] = useState('');
  const [reason, setReason] = useState('');
  const errors = fieldErrorsOf(add.error);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate(
      { number, reason },
      {
        onSuccess: () => {
          setNumber('');
          setReason('');
        },
      },
    );
  };
  const onFile = async (file: File | undefined) => {
    if (!file) return;
    importCsv.mutate(await file.text());
  };
  const rows = list.data?.entries ?? [];
  return (
    <Card title="Do-not-call list">
      <div className="space-y-4">
        <form
          aria-label="Add to the do-not-call list"
          onSubmit={submit}
          className="flex flex-wrap items-end gap-3"
        >
          <TextField
            label="Number"
            value={number}
            onChange={(e) => setNumber(e.target.value)}
            error={errors.number}
            className="w-56"
          />
          <TextField
            label="Reason (optional)"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            error={errors.reason}
            className="w-72"
          />
          <Button type="submit" disabled={add.isPending}>
            Add number
          </Button>
          <label className="inline-flex cursor-pointer items-center rounded-md px-3 py-2 text-sm font-medium text-indigo-700 ring-1 ring-indigo-200 hover:bg-indigo-50">
            Import CSV…
            <input
              type="file"
              accept=".csv,text/csv,text/plain"
              className="sr-only"
              aria-label="Import a CSV file of numbers"
              onChange={(e) => {
                void onFile(e.target.files?.[0]);
                e.target.value = '';
              }}
            />
          </label>
        </form>
        {add.isError && !Object.keys(errors).length ? (
          <Alert tone="error">{errorMessage(add.error)}</Alert>
        ) : null}
        {importCsv.isError ? <Alert tone="error">{errorMessage(importCsv.error)}</Alert> : null}
        {importCsv.isSuccess ? (
          <Alert tone="success">
            Imported: {importCsv.data.added} added, {importCsv.data.alreadyListed} already listed.
          </Alert>
        ) : null}
        {remove.isError ? <Alert tone="error">{errorMessage(remove.error)}</Alert> : null}
        <TextField
          label="Search"
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            setPage(1);
          }}
          hint="Part of the number"
          className="w-72"
        />
        <Table
          caption="Numbers on the do-not-call list"
          head={
            <>
              <Th>Number</Th>
              <Th>Reason</Th>
              <Th>Added</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </>
          }
        >
          {list.isPending ? (
            <EmptyRow colSpan={4}>Loading…</EmptyRow>
          ) : list.isError ? (
            <EmptyRow colSpan={4}>{errorMessage(list.error)}</EmptyRow>
          ) : rows.length === 0 ? (
            <EmptyRow colSpan={4}>{search ? 'No listed number matches.' : 'No number is listed.'}</EmptyRow>
          ) : (
            rows.map((r) => (
              <tr key={r.id}>
                <Td className="font-mono">{r.number}</Td>
                <Td>{r.reason ?? '—'}</Td>
                <Td>{formatDateTime(r.createdAt, timeZone)}</Td>
                <Td className="text-right">
                  <Button
                    variant="ghost"
                    disabled={remove.isPending}
                    onClick={() => remove.mutate(r.id)}
                    aria-label={`Remove ${r.number}`}
                  >
                    Remove
                  </Button>
                </Td>
              </tr>
            ))
          )}
        </Table>
        {list.data ? (
          <Pagination page={page} limit={50} total={list.data.total} onPage={setPage} noun="numbers" />
        ) : null}
      </div>
    </Card>
  );
}
