import { type Customer, roleAtLeast } from '@switchboard/shared';
import { type ReactNode, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Alert } from '../../../components/alert';
import { Badge } from '../../../components/badge';
import { Button } from '../../../components/button';
import { Card } from '../../../components/card';
import { PageHeader } from '../../../components/page-header';
import { EmptyRow, Table, Td, Th } from '../../../components/table';
import { WrapUpCode } from '../../../components/wrap-up-code';
import { ApiRequestError } from '../../../lib/api-client';
import type { DeskUser } from '../../../lib/desk-user';
import { errorMessage } from '../../../lib/field-errors';
import { formatDateTime, formatDuration } from '../../../lib/format';
import { useCustomer } from '../api/get-customer';
import { CallButton } from '../components/call-button';
import { CustomerFormDialog } from '../components/customer-form-dialog';
import { DeleteCustomerDialog } from '../components/delete-customer-dialog';

const callTypes = { inbound: 'Inbound', manual: 'Manual Dialed', auto: 'Auto Dialed' } as const;
const dispositionTone = { answered: 'green', unanswered: 'amber', busy: 'amber', failed: 'red' } as const;

/** One customer: contact details, numbers to call, recent calls, and (from the app) callback plans. */
export function CustomerPage({
  viewer,
  callbackPlans,
}: {
  viewer: DeskUser;
  callbackPlans?: (customer: Customer) => ReactNode;
}) {
  const id = Number(useParams().id);
  const navigate = useNavigate();
  const detail = useCustomer(id);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const supervisor = roleAtLeast(viewer.role, 'supervisor');

  if (detail.isPending) return <p className="text-sm text-slate-500">Loading customer…</p>;
  if (detail.isError) {
    const missing = detail.error instanceof ApiRequestError && detail.error.status === 404;
    return (
      <div className="space-y-4">
        <Alert tone="error">
          {missing ? 'This customer does not exist or is not one of yours.' : errorMessage(detail.error)}
        </Alert>
        <Link to="/crm" className="text-sm font-medium text-brand-700 hover:underline">
          Back to customers
        </Link>
      </div>
    );
  }
  const { customer, recentCalls } = detail.data;
  return (
    <div>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link to="/crm" className="text-brand-700 hover:underline">
          Customer Management
        </Link>
        <span className="text-slate-400"> / </span>
        <span className="text-slate-600">{customer.name}</span>
      </nav>
      <PageHeader
        title={customer.name}
        description={customer.company ?? undefined}
        actions={
          <>
            <Button variant="secondary" onClick={() => setEditing(true)}>
              Edit
            </Button>
            {supervisor ? (
              <Button variant="danger" onClick={() => setDeleting(true)}>
                Delete
              </Button>
            ) : null}
          </>
        }
      />
      <div className="grid gap-4 lg:grid-cols-3">
        <Card title="Contact" className="lg:col-span-1">
          <dl className="space-y-3 text-sm">
            <div>
              <dt className="text-slate-500">Phone numbers</dt>
              <dd>
                <ul className="mt-1 space-y-2">
                  {customer.phones.map((p) => (
                    <li key={p.id} className="flex items-center justify-between gap-2">
                      <span className="font-medium tabular-nums">{p.number}</span>
                      <CallButton phone={p} phoneLabel={`${customer.name} on ${p.number}`} />
                    </li>
                  ))}
                </ul>
              </dd>
            </div>
            <div>
              <dt className="text-slate-500">Email</dt>
              <dd className="font-medium">{customer.email ?? '—'}</dd>
            </div>
            <div>
              <dt className="text-slate-500">Notes</dt>
              <dd className="whitespace-pre-wrap">{customer.notes ?? '—'}</dd>
            </div>
            <div>
              <dt className="text-slate-500">Added by</dt>
              <dd>
                {customer.owner.displayName} · {formatDateTime(customer.createdAt, viewer.timeZone)}
              </dd>
            </div>
          </dl>
        </Card>
        <div className="lg:col-span-2">{callbackPlans ? callbackPlans(customer) : null}</div>
      </div>
      <h2 className="mt-8 mb-3 text-sm font-semibold text-slate-900">Recent calls</h2>
      <Table
        caption={`Recent calls with ${customer.name}`}
        head={
          <>
            <Th>Time</Th>
            <Th>Type</Th>
            <Th>Number</Th>
            <Th>Agent</Th>
            <Th>Queue</Th>
            <Th>Result</Th>
            <Th className="text-right">Duration</Th>
          </>
        }
      >
        {recentCalls.length === 0 ? (
          <EmptyRow colSpan={7}>No calls with this customer yet.</EmptyRow>
        ) : (
          recentCalls.map((call) => (
            <tr key={call.id}>
              <Td className="whitespace-nowrap">{formatDateTime(call.startedAt, viewer.timeZone)}</Td>
              <Td>{callTypes[call.type]}</Td>
              <Td className="tabular-nums">{call.number ?? '—'}</Td>
              <Td>{call.agentName ?? '—'}</Td>
              <Td>{call.queueName ?? '—'}</Td>
              <Td>
                {call.disposition ? (
                  <Badge tone={dispositionTone[call.disposition]}>{call.disposition}</Badge>
                ) : (
                  '—'
                )}
                <WrapUpCode code={call.wrapupCode} note={call.wrapupNote} />
              </Td>
              <Td className="text-right tabular-nums">{formatDuration(call.durationS)}</Td>
            </tr>
          ))
        )}
      </Table>
      <CustomerFormDialog open={editing} customer={customer} onClose={() => setEditing(false)} />
      <DeleteCustomerDialog
        customer={deleting ? customer : null}
        onClose={() => setDeleting(false)}
        onDeleted={() => navigate('/crm', { replace: true })}
      />
    </div>
  );
}
