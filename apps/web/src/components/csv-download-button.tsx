import { useState } from 'react';
import { type DownloadProgress, downloadCsv } from '../lib/download-csv';
import { errorMessage } from '../lib/field-errors';
import { Alert } from './alert';
import { Button } from './button';
import { ProgressBar } from './import-progress';

/** An export button that shows the rows arriving while a big CSV streams in, then saves the file. */
export function CsvDownloadButton({
  url,
  filename,
  label,
}: {
  url: string;
  filename: string;
  label: string;
}) {
  const [progress, setProgress] = useState<DownloadProgress | null>(null);
  const [error, setError] = useState<unknown>(null);
  const start = () => {
    setError(null);
    setProgress({ rows: 0, total: null });
    downloadCsv(url, filename, setProgress)
      .catch(setError)
      .finally(() => setProgress(null));
  };
  const percent =
    progress?.total && progress.total > 0 ? Math.round((progress.rows / progress.total) * 100) : 0;
  return (
    <div className="relative">
      <Button variant="secondary" onClick={start} disabled={progress !== null}>
        {progress ? 'Exporting…' : label}
      </Button>
      {progress || error ? (
        <div className="absolute right-0 z-10 mt-2 w-72 rounded-md bg-white p-3 shadow-lg ring-1 ring-slate-200">
          {progress ? (
            <ProgressBar
              label="Exporting…"
              figures={
                progress.total === null
                  ? progress.rows.toLocaleString()
                  : `${progress.rows.toLocaleString()} of ${progress.total.toLocaleString()}`
              }
              percent={percent}
              name="Export progress"
              testId="export-progress"
            />
          ) : (
            <Alert tone="error">{errorMessage(error)}</Alert>
          )}
        </div>
      ) : null}
    </div>
  );
}
