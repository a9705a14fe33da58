import type { CsvDelimiterChoice, CustomerImportErrorDetails } from '@switchboard/shared';
import { type FormEvent, useEffect, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { CsvFileFields, CsvImportErrors } from '../../../components/csv-file-fields';
import { Dialog } from '../../../components/dialog';
import { ImportProgress, useImportProgress } from '../../../components/import-progress';
import { ApiRequestError } from '../../../lib/api-client';
import { errorMessage } from '../../../lib/field-errors';
import { useImportCustomers } from '../api/import-customers';

const exampleText =
  'name;company;email;phone_1;phone_2;owner;notes\nAda Lovelace;Analytical, Ltd;ada@example.com;+44 20 7183 8750;;alice;Prefers mornings';

/** Customer import: every row is created, or none and a report says what is wrong in each row. */
export function CustomerImportDialog({
  open,
  onClose,
  onImported,
}: {
  open: boolean;
  onClose: () => void;
  onImported: (message: string) => void;
}) {
  const importer = useImportCustomers();
  const [csv, setCsv] = useState('');
  const [delimiter, setDelimiter] = useState<CsvDelimiterChoice | ''>('');
  const [localError, setLocalError] = useState<string | null>(null);
  // The server reports how far a big import has got while it runs.
  const { progress, reset: resetProgress } = useImportProgress('customers', importer.isPending);
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
      ? (importer.error.details as CustomerImportErrorDetails | undefined)
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
      { csv, ...(delimiter ? { delimiter } : {}) },
      {
        onSuccess: (res) => {
          onImported(`${res.created} customer${res.created === 1 ? '' : 's'} imported.`);
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
      title="Import customers"
      description={
        <>
          A CSV with a header row. Columns: <code>name</code>, one or more <code>phone</code> columns (or
          several numbers in one cell separated by <code>|</code>), and optionally <code>company</code>,{' '}
          <code>email</code>, <code>time_zone</code>, <code>owner</code> (the agent’s user name or agent ID;
          you when empty) and <code>notes</code>. An export of this page imports as it is.
        </>
      }
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="customer-import-form" disabled={importer.isPending}>
            {importer.isPending ? 'Importing…' : 'Import'}
          </Button>
        </>
      }
    >
      <form id="customer-import-form" onSubmit={submit} noValidate className="space-y-4">
        {localError ? <Alert tone="error">{localError}</Alert> : null}
        {progress ? <ImportProgress progress={progress} writing="Creating customers" /> : null}
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
