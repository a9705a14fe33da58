import type { DialTaskImportErrorDetails } from '@switchboard/shared';
import { type FormEvent, useEffect, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { TextareaField } from '../../../components/textarea-field';
import { ApiRequestError } from '../../../lib/api-client';
import type { DeskUser } from '../../../lib/desk-user';
import { errorMessage } from '../../../lib/field-errors';
import type { LiveEventOf } from '../../../lib/live-events/live-events-client';
import { useLiveEvent } from '../../../lib/live-events/live-events-provider';
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
  const [fileName, setFileName] = useState<string | null>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  const [progress, setProgress] = useState<LiveEventOf<'dial_task_import'> | null>(null);
  // The server reports how far a big import has got while it runs.
  useLiveEvent('dial_task_import', (e) => {
    if (importer.isPending) setProgress(e);
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset each time it opens
  useEffect(() => {
    if (!open) return;
    setCsv('');
    setFileName(null);
    setLocalError(null);
    setProgress(null);
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
    setProgress(null);
    importer.mutate(
      { csv, timeZone: viewer.timeZone },
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
        {importer.isPending && progress ? <ImportProgress progress={progress} /> : null}
        {importer.error ? <Alert tone="error">{errorMessage(importer.error)}</Alert> : null}
        {report && report.errors.length > 0 ? (
          <div className="max-h-56 overflow-y-auto rounded-md ring-1 ring-red-200">
            <table className="min-w-full text-sm">
              <caption className="sr-only">Rows with errors</caption>
              <thead className="sticky top-0 bg-red-50 text-left text-xs font-semibold text-red-900 uppercase">
                <tr>
                  <th scope="col" className="px-3 py-2">
                    Line
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Column
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Problem
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-red-100">
                {report.errors.map((e) => (
                  <tr key={`${e.line}-${e.field}-${e.message}`}>
                    <td className="px-3 py-1.5 tabular-nums">{e.line || '—'}</td>
                    <td className="px-3 py-1.5">{e.field}</td>
                    <td className="px-3 py-1.5">{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        <div>
          <label htmlFor="import-file" className="block text-sm font-medium text-slate-700">
            CSV file
          </label>
          <input
            id="import-file"
            type="file"
            accept=".csv,text/csv,text/plain"
            className="mt-1 block w-full text-sm text-slate-700 file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-2 file:text-sm file:font-medium hover:file:bg-slate-200"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              if (!file) return;
              if (file.size > 2_000_000) {
                setLocalError('The file is larger than 2 MB');
                return;
              }
              setFileName(file.name);
              setCsv(await file.text());
              importer.reset();
            }}
          />
          {fileName ? <p className="mt-1 text-sm text-slate-500">Loaded {fileName}</p> : null}
        </div>
        <TextareaField
          label="Or paste the rows"
          rows={6}
          className="font-mono"
          value={csv}
          placeholder={exampleText}
          onChange={(e) => {
            setCsv(e.target.value);
            setFileName(null);
          }}
        />
      </form>
    </Dialog>
  );
}

/** "Checking rows… 1,200 of 5,000" with a bar: checking fills the first half, writing the second. */
function ImportProgress({ progress }: { progress: LiveEventOf<'dial_task_import'> }) {
  const share = progress.total > 0 ? progress.done / progress.total : 0;
  const percent = Math.round((progress.phase === 'checking' ? share / 2 : 0.5 + share / 2) * 100);
  const label = progress.phase === 'checking' ? 'Checking rows' : 'Creating tasks';
  return (
    <div className="space-y-1" data-testid="import-progress">
      <div className="flex justify-between text-sm text-slate-700">
        <span>{label}…</span>
        <span className="tabular-nums">
          {progress.done.toLocaleString()} of {progress.total.toLocaleString()}
        </span>
      </div>
      <div
        className="h-2 overflow-hidden rounded-full bg-slate-200"
        role="progressbar"
        aria-label="Import progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <div className="h-full bg-brand-600 transition-[width]" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
