import type { ReportBucket } from '@switchboard/shared';
import { SelectField } from '../../../components/select-field';
import { TextField } from '../../../components/text-field';
import { useAgents } from '../../../lib/use-agents';
import { useReportQueues } from '../api/get-report-queues';

export interface ReportFilterValues {
  from: string;
  to: string;
  bucket: ReportBucket;
  queue: string;
  agent: string;
}

/** The report's period (whole days), bucket, queue and agent; each change goes to the address. */
export function ReportFiltersForm({
  values,
  set,
}: {
  values: ReportFilterValues;
  set: (key: string, value: string) => void;
}) {
  const queues = useReportQueues();
  const agents = useAgents();
  return (
    <form
      aria-label="Report filters"
      className="mb-5 grid grid-cols-2 gap-3 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 md:grid-cols-5"
      onSubmit={(e) => e.preventDefault()}
    >
      <TextField
        label="From"
        type="date"
        value={values.from}
        max={values.to}
        onChange={(e) => e.target.value && set('from', e.target.value)}
      />
      <TextField
        label="To"
        type="date"
        value={values.to}
        min={values.from}
        onChange={(e) => e.target.value && set('to', e.target.value)}
      />
      <SelectField label="Per" value={values.bucket} onChange={(e) => set('bucket', e.target.value)}>
        <option value="day">Day</option>
        <option value="hour">Hour</option>
      </SelectField>
      <SelectField
        // A select keeps no choice its options do not have yet: drawn again once they arrive.
        key={queues.data ? 'queue' : 'queue-loading'}
        label="Queue"
        value={values.queue}
        onChange={(e) => set('queue', e.target.value)}
      >
        <option value="">All my queues</option>
        {(queues.data ?? []).map((q) => (
          <option key={q.id} value={q.id}>
            {q.name}
          </option>
        ))}
      </SelectField>
      <SelectField
        key={agents.data ? 'agent' : 'agent-loading'}
        label="Agent"
        value={values.agent}
        onChange={(e) => set('agent', e.target.value)}
      >
        <option value="">All agents</option>
        {(agents.data ?? []).map((a) => (
          <option key={a.id} value={a.id}>
            {a.displayName}
          </option>
        ))}
      </SelectField>
    </form>
  );
}
