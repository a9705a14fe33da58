import type { CallbackPlan, CurrentUser } from '@switchboard/shared';
import { useState } from 'react';
import { Link } from 'react-router';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { EmptyRow, Table, Td, Th } from '../../../components/table';
import { errorMessage } from '../../../lib/field-errors';
import { formatDateTime } from '../../../lib/format';
import { useUpdateCallbackPlan } from '../api/update-callback-plan';
import { PlanStatusBadge } from './plan-status-badge';
import { RescheduleDialog } from './reschedule-dialog';

export function CallbackPlansTable({
  viewer,
  plans,
  loading,
  error,
  showOwner,
  showCustomer = true,
  empty,
}: {
  viewer: CurrentUser;
  plans: CallbackPlan[] | undefined;
  loading: boolean;
  error: unknown;
  showOwner: boolean;
  showCustomer?: boolean;
  empty: string;
}) {
  const update = useUpdateCallbackPlan();
  const [editing, setEditing] = useState<CallbackPlan | null>(null);
  const columns = 4 + (showOwner ? 1 : 0) + (showCustomer ? 1 : 0);
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
              <tr key={p.id} className={p.status === 'due' ? 'bg-amber-50/60' : undefined}>
                <Td className="whitespace-nowrap">
                  <div className="font-medium text-slate-900">{formatDateTime(p.dueAt, viewer.timeZone)}</div>
                  {p.note ? <div className="max-w-xs truncate text-xs text-slate-500">{p.note}</div> : null}
                </Td>
                {showCustomer ? (
                  <Td>
                    {p.customer ? (
                      <Link to={`/crm/customers/${p.customer.id}`} className="text-brand-700 hover:underline">
                        {p.customer.name}
                      </Link>
                    ) : (
                      '—'
                    )}
                  </Td>
                ) : null}
                <Td className="tabular-nums">{p.number ?? '—'}</Td>
                {showOwner ? <Td>{p.owner.displayName}</Td> : null}
                <Td>
                  <PlanStatusBadge status={p.status} />
                </Td>
                <Td className="text-right whitespace-nowrap">
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
            );
          })
        )}
      </Table>
      <RescheduleDialog viewer={viewer} plan={editing} onClose={() => setEditing(null)} />
    </>
  );
}
