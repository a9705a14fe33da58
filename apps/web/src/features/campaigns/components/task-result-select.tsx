import { type DialTaskResult, dialTaskResultLabels, dialTaskResults } from '@switchboard/shared';

/** The result of a campaign task's call, as the agent picks it (preview card and campaign call bar). */
export function TaskResultSelect({
  label,
  value,
  disabled,
  onChange,
}: {
  label: string;
  value: DialTaskResult;
  disabled?: boolean;
  onChange: (result: DialTaskResult) => void;
}) {
  return (
    <label className="flex items-center gap-2">
      <span className="text-slate-600">{label}</span>
      <select
        aria-label="Result"
        className="rounded-md border-slate-300 text-sm"
        value={value}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value as DialTaskResult)}
      >
        {dialTaskResults.map((r) => (
          <option key={r} value={r}>
            {dialTaskResultLabels[r]}
          </option>
        ))}
      </select>
    </label>
  );
}
