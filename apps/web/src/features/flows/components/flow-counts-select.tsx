import type { FlowVersionsResponse } from '@switchboard/shared';

export type CountsOf = number | 'draft' | undefined;

/** Whose counts the canvas shows: a published version (the live one by default) or test calls. */
export function FlowCountsSelect({
  publishedVersion,
  versions,
  countsOf,
  setCountsOf,
  enteredAtStart,
}: {
  publishedVersion: number | null;
  versions: FlowVersionsResponse['versions'];
  countsOf: CountsOf;
  setCountsOf: (countsOf: CountsOf) => void;
  /** Calls that started at the start component today; null before the counts arrive. */
  enteredAtStart: number | null;
}) {
  return (
    <div className="flex items-center gap-2 text-xs text-slate-600">
      <label htmlFor="flow-counts-of">Today's counts (UTC) on the canvas:</label>
      <select
        id="flow-counts-of"
        className="rounded border border-slate-300 bg-white px-1.5 py-0.5"
        value={countsOf === undefined ? '' : String(countsOf)}
        onChange={(e) =>
          setCountsOf(
            e.target.value === '' ? undefined : e.target.value === 'draft' ? 'draft' : Number(e.target.value),
          )
        }
      >
        <option value="">
          {publishedVersion ? `Published version ${publishedVersion}` : 'Not published'}
        </option>
        {versions
          .filter((v) => v.version !== publishedVersion)
          .map((v) => (
            <option key={v.version} value={v.version}>
              Version {v.version}
            </option>
          ))}
        <option value="draft">Test calls into the draft</option>
      </select>
      {enteredAtStart !== null ? (
        <span data-testid="flow-counts-total">· {enteredAtStart} started at the start component</span>
      ) : null}
    </div>
  );
}
