import { useState } from 'react';
import type { LiveEventOf } from '../lib/live-events/live-events-client';
import { useLiveEvent } from '../lib/live-events/live-events-provider';

type Progress = LiveEventOf<'import_progress'>;

/**
 * The server's progress reports for the viewer's own import of `kind`, while `running`; null until
 * the first arrives. The caller clears it (`reset`) when a new import starts.
 */
export function useImportProgress(kind: Progress['kind'], running: boolean) {
  const [progress, setProgress] = useState<Progress | null>(null);
  useLiveEvent('import_progress', (e) => {
    if (running && e.kind === kind) setProgress(e);
  });
  return { progress: running ? progress : null, reset: () => setProgress(null) };
}

/** "Checking rows… 1,200 of 5,000" with a bar: checking fills the first half, writing the second. */
export function ImportProgress({ progress, writing }: { progress: Progress; writing: string }) {
  const share = progress.total > 0 ? progress.done / progress.total : 0;
  const percent = Math.round((progress.phase === 'checking' ? share / 2 : 0.5 + share / 2) * 100);
  const label = progress.phase === 'checking' ? 'Checking rows' : writing;
  return (
    <ProgressBar
      label={`${label}…`}
      figures={`${progress.done.toLocaleString()} of ${progress.total.toLocaleString()}`}
      percent={percent}
      name="Import progress"
      testId="import-progress"
    />
  );
}

/** A labelled progress bar (imports, downloads). */
export function ProgressBar({
  label,
  figures,
  percent,
  name,
  testId,
}: {
  label: string;
  figures: string;
  percent: number;
  name: string;
  testId?: string;
}) {
  return (
    <div className="space-y-1" data-testid={testId}>
      <div className="flex justify-between text-sm text-slate-700">
        <span>{label}</span>
        <span className="tabular-nums">{figures}</span>
      </div>
      <div
        className="h-2 overflow-hidden rounded-full bg-slate-200"
        role="progressbar"
        aria-label={name}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <div className="h-full bg-brand-600 transition-[width]" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
