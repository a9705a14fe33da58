import { roleAtLeast } from '@switchboard/shared';
import { useState } from 'react';
import { PageHeader } from '../../../components/page-header';
import { Pagination } from '../../../components/pagination';
import { SelectField } from '../../../components/select-field';
import { TextField } from '../../../components/text-field';
import type { DeskUser } from '../../../lib/desk-user';
import { useAgents } from '../../../lib/use-agents';
import { useCallbackPlans } from '../api/get-callback-plans';
import { CallbackPlansTable } from '../components/callback-plans-table';

const statusFilters = [
  { value: 'scheduled,due,missed', label: 'Open' },
  { value: 'due', label: 'Due now' },
  { value: 'scheduled', label: 'Scheduled' },
  { value: 'missed', label: 'Missed' },
  { value: 'done', label: 'Done' },
  { value: 'cancelled', label: 'Cancelled' },
  { value: '', label: 'All' },
];

/** Callback plans: the agent's own, or everyone's for a supervisor, with filters. */
export function CallbackPlansPage({ viewer }: { viewer: DeskUser }) {
  const supervisor = roleAtLeast(viewer.role, 'supervisor');
  const agents = useAgents(supervisor);
  const [status, setStatus] = useState(statusFilters[0]!.value);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [owner, setOwner] = useState('');
  const [page, setPage] = useState(1);
  const plans = useCallbackPlans({
    status: status || undefined,
    from: from || undefined,
    to: to || undefined,
    owner: owner ? Number(owner) : undefined,
    timeZone: viewer.timeZone,
    page,
    limit: 20,
  });
  const filter =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setPage(1);
    };

  return (
    <div>
      <PageHeader
        title="Callback Plans"
        description={
          supervisor
            ? 'Every agent’s planned callbacks. Plan new ones from a customer’s page.'
            : 'Your planned callbacks. Plan new ones from a customer’s page; you are reminded when one is due.'
        }
      />
      <div className="mb-4 flex flex-wrap items-end gap-4">
        <SelectField
          className="w-64"
          label="Status"
          value={status}
          onChange={(e) => filter(setStatus)(e.target.value)}
        >
          {statusFilters.map((s) => (
            <option key={s.label} value={s.value}>
              {s.label}
            </option>
          ))}
        </SelectField>
        <TextField
          className="w-44"
          label="Due from"
          type="date"
          value={from}
          onChange={(e) => filter(setFrom)(e.target.value)}
        />
        <TextField
          className="w-44"
          label="Due to"
          type="date"
          value={to}
          onChange={(e) => filter(setTo)(e.target.value)}
        />
        {supervisor ? (
          <SelectField
            className="w-48"
            label="Agent"
            value={owner}
            onChange={(e) => filter(setOwner)(e.target.value)}
          >
            <option value="">All agents</option>
            {(agents.data ?? []).map((a) => (
              <option key={a.id} value={a.id}>
                {a.displayName}
              </option>
            ))}
          </SelectField>
        ) : null}
      </div>
      <CallbackPlansTable
        viewer={viewer}
        plans={plans.data?.plans}
        loading={plans.isPending}
        error={plans.error}
        showOwner={supervisor}
        owners={supervisor ? agents.data : undefined}
        empty="No callback plans match these filters."
      />
      {plans.data ? (
        <Pagination
          page={plans.data.page}
          limit={plans.data.limit}
          total={plans.data.total}
          noun="plans"
          onPage={setPage}
        />
      ) : null}
    </div>
  );
}
