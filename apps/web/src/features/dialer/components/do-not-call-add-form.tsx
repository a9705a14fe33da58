import { type FormEvent, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { TextField } from '../../../components/text-field';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { useAddDoNotCall, useImportDoNotCall } from '../api/change-do-not-call';

/** Add one number to the do-not-call list, or import a CSV file of them; with the outcome below. */
export function DoNotCallAddForm() {
  const add = useAddDoNotCall();
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
  return (
    <>
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
    </>
  );
}
