import type { FlowVersionsResponse } from '@switchboard/shared';
import { Button } from '../../../components/button';
import { formatDateTime } from '../../../lib/format';

/** The published versions, the live one marked, each restorable into the draft. */
export function FlowVersionsList({
  versions,
  publishedVersion,
  timeZone,
  readOnly,
  onRestore,
}: {
  versions: FlowVersionsResponse['versions'];
  publishedVersion: number | null;
  timeZone: string;
  readOnly: boolean;
  onRestore: (version: number) => void;
}) {
  return (
    <section aria-label="Versions">
      <h2 className="text-sm font-semibold text-slate-900">Versions</h2>
      <ul className="mt-1 space-y-1 text-xs">
        {versions.length === 0 ? <li className="text-slate-500">None published yet.</li> : null}
        {versions.map((v) => (
          <li key={v.version} className="flex items-center justify-between gap-2">
            <span>
              Version {v.version}
              {v.version === publishedVersion ? ' (live)' : ''} · {formatDateTime(v.publishedAt, timeZone)}{' '}
              {v.publishedBy ? `by ${v.publishedBy}` : ''}
            </span>
            {readOnly ? null : (
              <Button
                variant="ghost"
                size="sm"
                aria-label={`Restore version ${v.version} into the draft`}
                onClick={() => onRestore(v.version)}
              >
                Restore
              </Button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
