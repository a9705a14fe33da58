import { type CdrSearchParams, callTypeLabels, callTypes, cdrDispositions } from '@switchboard/shared';
import { type FormEvent, useState } from 'react';
import { Button } from '../../../components/button';
import { SelectField } from '../../../components/select-field';
import { TextField } from '../../../components/text-field';
import { fromDateTimeInput } from '../../../lib/format';
import { useCdrQueues } from '../api/get-cdr-queues';

export interface CdrFilterValues {
  customer: string;
  number: string;
  queueId: string;
  from: string;
  to: string;
  minDuration: string;
  type: string;
  disposition: string;
  wrapupCode: string;
}

export const emptyCdrFilters: CdrFilterValues = {
  customer: '',
  number: '',
  queueId: '',
  from: '',
  to: '',
  minDuration: '',
  type: '',
  disposition: '',
  wrapupCode: '',
};

/** Form values → API query (datetime-local is read in the user's time zone). */
export function toCdrParams(v: CdrFilterValues, timeZone: string): CdrSearchParams {
  const time = (s: string) => {
    const ms = fromDateTimeInput(s, timeZone);
    return ms === null ? undefined : String(ms);
  };
  return {
    customer: v.customer || undefined,
    number: v.number || undefined,
    queueId: v.queueId || undefined,
    from: time(v.from),
    to: time(v.to),
    minDuration: v.minDuration || undefined,
    type: v.type || undefined,
    disposition: v.disposition || undefined,
    wrapupCode: v.wrapupCode.trim() || undefined,
  };
}

export function CdrFilters({
  initial,
  numbersMasked,
  errors,
  onSearch,
}: {
  initial: CdrFilterValues;
  numbersMasked: boolean;
  errors: Record<string, string>;
  onSearch: (v: CdrFilterValues) => void;
}) {
  const [v, setV] = useState(initial);
  const queues = useCdrQueues();
  const set = (k: keyof CdrFilterValues) => (e: { target: { value: string } }) =>
    setV((old) => ({ ...old, [k]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSearch(v);
  };
  return (
    <form
      onSubmit={submit}
      aria-label="Search calls"
      className="grid grid-cols-2 gap-4 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200 md:grid-cols-4"
    >
      <TextField
        label="Customer"
        value={v.customer}
        onChange={set('customer')}
        placeholder="Name or part of it"
        error={errors.customer}
      />
      <TextField
        label="Customer number"
        value={v.number}
        onChange={set('number')}
        inputMode="tel"
        placeholder={numbersMasked ? 'Hidden by number masking' : 'e.g. 5963'}
        disabled={numbersMasked}
        hint={numbersMasked ? 'Numbers are masked for you' : undefined}
        error={errors.number}
      />
      <SelectField label="Queue" value={v.queueId} onChange={set('queueId')} error={errors.queueId}>
        <option value="">All queues</option>
        {(queues.data ?? []).map((q) => (
          <option key={q.id} value={q.id}>
            {q.name}
          </option>
        ))}
      </SelectField>
      <TextField
        label="Minimum duration (s)"
        type="number"
        min={0}
        value={v.minDuration}
        onChange={set('minDuration')}
        error={errors.minDuration}
      />
      <TextField
        label="From"
        type="datetime-local"
        value={v.from}
        onChange={set('from')}
        error={errors.from}
      />
      <TextField label="To" type="datetime-local" value={v.to} onChange={set('to')} error={errors.to} />
      <SelectField label="Type" value={v.type} onChange={set('type')} error={errors.type}>
        <option value="">All types</option>
        {callTypes.map((t) => (
          <option key={t} value={t}>
            {callTypeLabels[t]}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Disposition"
        value={v.disposition}
        onChange={set('disposition')}
        error={errors.disposition}
      >
        <option value="">All</option>
        {cdrDispositions.map((d) => (
          <option key={d} value={d}>
            {d[0]!.toUpperCase() + d.slice(1)}
          </option>
        ))}
      </SelectField>
      <TextField
        label="Wrap-up code"
        value={v.wrapupCode}
        onChange={set('wrapupCode')}
        error={errors.wrapupCode}
      />
      <div className="col-span-2 flex items-end justify-end gap-2 md:col-span-4">
        <Button
          variant="ghost"
          onClick={() => {
            setV(emptyCdrFilters);
            onSearch(emptyCdrFilters);
          }}
        >
          Clear
        </Button>
        <Button type="submit">Search</Button>
      </div>
    </form>
  );
}
