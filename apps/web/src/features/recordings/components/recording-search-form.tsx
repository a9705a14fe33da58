import { callTypeLabels, callTypes } from '@switchboard/shared';
import type { FormEvent } from 'react';
import { Button } from '../../../components/button';
import { SelectField } from '../../../components/select-field';
import { TextField } from '../../../components/text-field';

/** The search form's fields as typed (times as `datetime-local` values). */
export const emptyRecordingFilters = { customer: '', number: '', from: '', to: '', type: '' };
export type RecordingFilters = typeof emptyRecordingFilters;

/** Customer, number, time range and call type to search the recordings by. */
export function RecordingSearchForm({
  form,
  setForm,
  errors,
  numbersMasked,
  onSubmit,
  onClear,
}: {
  form: RecordingFilters;
  setForm: (update: (f: RecordingFilters) => RecordingFilters) => void;
  errors: Record<string, string | undefined>;
  numbersMasked: boolean | undefined;
  onSubmit: (e: FormEvent) => void;
  onClear: () => void;
}) {
  const set = (k: keyof RecordingFilters) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));
  return (
    <form
      onSubmit={onSubmit}
      aria-label="Search recordings"
      className="mb-5 grid grid-cols-2 gap-4 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200 md:grid-cols-5"
    >
      <TextField label="Customer" value={form.customer} onChange={set('customer')} error={errors.customer} />
      <TextField
        label="Number"
        value={form.number}
        onChange={set('number')}
        inputMode="tel"
        placeholder="e.g. 5963"
        disabled={numbersMasked}
        hint={numbersMasked ? 'Numbers are masked for you' : undefined}
        error={errors.number}
      />
      <TextField
        label="From"
        type="datetime-local"
        value={form.from}
        onChange={set('from')}
        error={errors.from}
      />
      <TextField label="To" type="datetime-local" value={form.to} onChange={set('to')} error={errors.to} />
      <SelectField label="Type" value={form.type} onChange={set('type')} error={errors.type}>
        <option value="">All types</option>
        {callTypes.map((t) => (
          <option key={t} value={t}>
            {callTypeLabels[t]}
          </option>
        ))}
      </SelectField>
      <div className="col-span-2 flex justify-end gap-2 md:col-span-5">
        <Button variant="ghost" onClick={onClear}>
          Clear
        </Button>
        <Button type="submit">Search</Button>
      </div>
    </form>
  );
}
