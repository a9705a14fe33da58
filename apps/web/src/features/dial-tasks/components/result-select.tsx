import { type DialTaskResult, dialTaskResultLabels, dialTaskResults } from '@switchboard/shared';

/** The task's result, changeable in place (agents correct it when it is wrong). */
export function ResultSelect({
  value,
  label,
  disabled,
  onChange,
}: {
  value: DialTaskResult;
  label: string;
  disabled?: boolean;
  onChange: (result: DialTaskResult) => void;
}) {
  return (
    <select
      aria-label={label}
      value={value}
      disabled={disabled}
      onChange={(e) => onChange(e.target.value as DialTaskResult)}
      className="w-40 rounded-md border-0 bg-white py-1.5 pr-8 pl-2 text-sm text-slate-800 shadow-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-brand-600 disabled:bg-slate-50"
    >
      {dialTaskResults.map((r) => (
        <option key={r} value={r}>
          {dialTaskResultLabels[r]}
        </option>
      ))}
    </select>
  );
}
