import type { CsvDelimiterChoice, DialTaskImportErrorDetails } from '@switchboard/shared';
import { type FormEvent, useEffect, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { CsvFileFields, CsvImportErrors } from '../../../components/csv-file-fields';
import { Dialog } from '../../../components/dialog';
import { ImportProgress, useImportProgress } from '../../../components/import-progress';
import { ApiRequestError } from '../../../lib/api-client';
import type { DeskUser } from '../../../lib/desk-user';
import { errorMessage } from '../../../lib/field-errors';
import { useImportDialTasks } from '../api/import-dial-tasks';

const exampleText =
  'number,customer_id,agent,start,end,note\n+1 202 555 0143,,alice,2026-06-01,2026-06-05,Renewal offer';

/** CSV import: all rows are created, or none and a report says what is wrong in each row. */
export function ImportDialog({
  open,
  viewer,
  onClose,
  onImported,
}: {
  open: boolean;
  viewer: DeskUser;
  onClose: () => void;
  onImported: (message: string) => void;
}) {
  const importer = useImportDialTasks();
  const [csv, setCsv] = useState('');
  const [delimiter, setDelimiter] = useState<CsvDelimiterChoice | ''>('');
  const [localError, setLocalError] = useState<string | null>(null);
  // The server reports how far a big import has got while it runs.
  const { progress, reset: resetProgress } = useImportProgress('dial_tasks', importer.isPending);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset each time it opens
  useEffect(() => {
    if (!open) return;
    setCsv('');
    setDelimiter('');
    setLocalError(null);
    resetProgress();
    importer.reset();
  }, [open]);

  const report =
    importer.error instanceof ApiRequestError && importer.error.status === 400
      ? (importer.error.details as DialTaskImportErrorDetails | undefined)
      : undefined;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!csv.trim()) {
      setLocalError('Choose a CSV file or paste its rows');
      return;
    }
    setLocalError(null);
    resetProgress();
    importer.mutate(
      { csv, timeZone: viewer.timeZone, ...(delimiter ? { delimiter } : {}) },
      {
        onSuccess: (res) => {
          onImported(`${res.created} task${res.created === 1 ? '' : 's'} imported.`);
          onClose();
        },
      },
    );
  };

  return (
    <Dialog
      open={open}
      onClose={onClose}
      size="lg"
      title="Import outbound tasks"
      description={
        <>
          A CSV with a header row. Columns: <code>number</code> or <code>customer_id</code>,{' '}
          <code>agent</code> (name or agent ID), <code>start</code>, <code>end</code> (dates or date and time,
          in {viewer.timeZone}), <code>note</code>.
        </>
      }
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="import-form" disabled={importer.isPending}>
            {importer.isPending ? 'Importing…' : 'Import'}
          </Button>
        </>
      }
    >
      <form id="import-form" onSubmit={submit} noValidate className="space-y-4">
        {localError ? <Alert tone="error">{localError}</Alert> : null}
        {progress ? <ImportProgress progress={progress} writing="Creating tasks" /> : null}
        {importer.error ? <Alert tone="error">{errorMessage(importer.error)}</Alert> : null}
        <CsvImportErrors errors={report?.errors ?? []} />
        <CsvFileFields
          csv={csv}
          onCsv={(text) => {
            setCsv(text);
            importer.reset();
          }}
          delimiter={delimiter}
          onDelimiter={setDelimiter}
          onError={setLocalError}
          example={exampleText}
        />
      </form>
    </Dialog>
  );
}
