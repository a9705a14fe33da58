import type { CallbackPlan } from '@switchboard/shared';
import { Fragment, useState } from 'react';
import { Link } from 'react-router';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { EmptyRow, Table, Td, Th } from '../../../components/table';
import type { DeskUser } from '../../../lib/desk-user';
import { errorMessage } from '../../../lib/field-errors';
import { formatDateTime } from '../../../lib/format';
import { useUpdateCallbackPlan } from '../api/update-callback-plan';
import { PlanAttempts } from './plan-attempts';
import { planModeLabels } from './plan-mode';
import { PlanStatusBadge } from './plan-status-badge';
import { RescheduleDialog } from './reschedule-dialog';

export function CallbackPlansTable({
  viewer,
  plans,
  loading,
  error,
  showOwner,
  showCustomer = true,
  owners,
  empty,
}: {
  viewer: DeskUser;
  plans: CallbackPlan[] | undefined;
  loading: boolean;
  error: unknown;
  showOwner: boolean;
  showCustomer?: boolean;
  /** A supervisor's choice of agents: an open plan's agent cell reassigns it. */
  owners?: Array<{ id: number; displayName: string }>;
  empty: string;
}) {
  const update = useUpdateCallbackPlan();
  const [editing, setEditing] = useState<CallbackPlan | null>(null);
  const [history, setHistory] = useState<number | null>(null);
  const columns = 5 + (showOwner ? 1 : 0) + (showCustomer ? 1 : 0);
  return (
    <>
      {update.error ? (
        <div className="mb-3">
          <Alert tone="error">{errorMessage(update.error)}</Alert>
        </div>
      ) : null}
      <Table
        caption="Callback plans"
        head={
          <>
            <Th>Due</Th>
            {showCustomer ? <Th>Customer</Th> : null}
            <Th>Number</Th>
            {showOwner ? <Th>Agent</Th> : null}
            <Th>How</Th>
            <Th>Status</Th>
            <Th className="text-right">
              <span className="sr-only">Actions</span>
            </Th>
          </>
        }
      >
        {loading ? (
          <EmptyRow colSpan={columns}>Loading callback plans…</EmptyRow>
        ) : error ? (
          <EmptyRow colSpan={columns}>
            <span className="text-red-700">Could not load callback plans: {errorMessage(error)}</span>
          </EmptyRow>
        ) : !plans || plans.length === 0 ? (
          <EmptyRow colSpan={columns}>{empty}</EmptyRow>
        ) : (
          plans.map((p) => {
            const open = p.status === 'scheduled' || p.status === 'due' || p.status === 'missed';
            const who = p.customer?.name ?? 'this callback';
            return (
              <Fragment key={p.id}>
                <tr className={p.status === 'due' ? 'bg-amber-50/60' : undefined}>
                  <Td className="whitespace-nowrap">
                    <div className="font-medium text-slate-900">
                      {formatDateTime(p.dueAt, viewer.timeZone)}
                    </div>
                    {p.note ? <div className="max-w-xs truncate text-xs text-slate-500">{p.note}</div> : null}
                  </Td>
                  {showCustomer ? (
                    <Td>
                      {p.customer ? (
                        <Link
                          to={`/crm/customers/${p.customer.id}`}
                          className="text-brand-700 hover:underline"
                        >
                          {p.customer.name}
                        </Link>
                      ) : (
                        '—'
                      )}
                    </Td>
                  ) : null}
                  <Td className="tabular-nums">{p.number ?? '—'}</Td>
                  {showOwner ? (
                    <Td>
                      {owners && open ? (
                        <select
                          aria-label={`Reassign the callback to ${who}`}
                          className="rounded-md border-0 bg-white py-1 pr-7 pl-2 text-sm text-slate-900 ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-brand-600"
                          value={p.owner.id}
                          disabled={update.isPending}
                          onChange={(e) => update.mutate({ id: p.id, ownerUserId: Number(e.target.value) })}
                        >
                          {owners.some((o) => o.id === p.owner.id) ? null : (
                            <option value={p.owner.id}>{p.owner.displayName}</option>
                          )}
                          {owners.map((o) => (
                            <option key={o.id} value={o.id}>
                              {o.displayName}
                            </option>
                          ))}
                        </select>
                      ) : (
                        p.owner.displayName
                      )}
                    </Td>
                  ) : null}
                  <Td className="text-sm text-slate-700">{planModeLabels[p.mode]}</Td>
                  <Td>
                    <PlanStatusBadge status={p.status} />
                  </Td>
                  <Td className="text-right whitespace-nowrap">
                    {p.mode !== 'remind' ? (
                      <Button
                        variant="ghost"
                        size="sm"
                        aria-expanded={history === p.id}
                        aria-label={`Attempts of the callback to ${who}`}
                        onClick={() => setHistory(history === p.id ? null : p.id)}
                      >
                        Attempts
                      </Button>
                    ) : null}
                    {open ? (
                      <>
                        <Button
                          variant="ghost"
                          size="sm"
                          aria-label={`Mark callback to ${who} done`}
                          disabled={update.isPending}
                          onClick={() => update.mutate({ id: p.id, status: 'done' })}
                        >
                          Done
                        </Button>
                        <Button
                          variant="ghost"
                          size="sm"
                          aria-label={`Edit callback to ${who}`}
                          onClick={() => setEditing(p)}
                        >
                          Edit
                        </Button>
                        <Button
                          variant="ghost-danger"
                          size="sm"
                          aria-label={`Cancel callback to ${who}`}
                          disabled={update.isPending}
                          onClick={() => update.mutate({ id: p.id, status: 'cancelled' })}
                        >
                          Cancel
                        </Button>
                      </>
                    ) : null}
                  </Td>
                </tr>
                {history === p.id ? (
                  <tr>
                    <Td colSpan={columns} className="bg-slate-50">
                      <PlanAttempts viewer={viewer} planId={p.id} />
                    </Td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })
        )}
      </Table>
      <RescheduleDialog viewer={viewer} plan={editing} onClose={() => setEditing(null)} />
    </>
  );
}
