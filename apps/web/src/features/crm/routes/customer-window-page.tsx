import type { Customer } from '@switchboard/shared';
import { type ReactNode, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { Card } from '../../../components/card';
import { SelectField } from '../../../components/select-field';
import { ApiRequestError } from '../../../lib/api-client';
import type { DeskUser } from '../../../lib/desk-user';
import { errorMessage } from '../../../lib/field-errors';
import { formatDateTime } from '../../../lib/format';
import { useCustomer } from '../api/get-customer';
import { useCallCustomerLookup } from '../api/lookup-call-customer';
import { CustomerWindowCalls } from '../components/customer-window-calls';
import { CustomerWindowNewCustomer } from '../components/customer-window-new-customer';

/**
 * The desk's "Inbound Calls" part: the customer window that pops up for a queue call
 * (`/desk/customer-window?callId=<the switch's call id>`). It shows the caller's customer with the
 * recent call history and a callback plan form, or a form to save the caller as a new customer.
 */
export function CustomerWindowPage({
  viewer,
  callbackPlans,
}: {
  viewer: DeskUser;
  callbackPlans?: (customer: Customer) => ReactNode;
}) {
  const [params] = useSearchParams();
  const callId = params.get('callId');
  const lookup = useCallCustomerLookup(callId);
  const [chosen, setChosen] = useState<number | null>(null);
  const caller = lookup.data?.number ?? null;

  useEffect(() => {
    document.title = caller ? `Customer · ${caller}` : 'Customer window';
  }, [caller]);

  if (!callId)
    return <Alert tone="error">This window shows the customer of a call, but no call was given.</Alert>;
  if (lookup.isPending) return <p className="text-sm text-slate-500">Looking the caller up…</p>;
  if (lookup.isError) {
    const missing = lookup.error instanceof ApiRequestError && lookup.error.status === 404;
    return (
      <div className="space-y-3">
        <Alert tone="error">
          {missing
            ? 'This call is not one you took or are being offered, so its caller cannot be shown.'
            : `The caller could not be looked up: ${errorMessage(lookup.error)}`}
        </Alert>
        {missing ? null : (
          <Button variant="secondary" onClick={() => void lookup.refetch()}>
            Try again
          </Button>
        )}
      </div>
    );
  }

  const { customers, call } = lookup.data;
  const selectedId = customers.some((c) => c.id === chosen) ? chosen : (customers[0]?.id ?? null);
  return (
    <div className="space-y-4">
      <header className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-lg font-semibold text-slate-900">
          Caller{' '}
          <span className="font-mono" data-testid="customer-window-caller">
            {caller ?? 'withheld'}
          </span>
        </h1>
        {call ? (
          <p className="text-sm text-slate-500">
            {call.queueName ? `Queue ${call.queueName} · ` : ''}
            {formatDateTime(call.startedAt, viewer.timeZone)}
          </p>
        ) : null}
      </header>
      {customers.length > 1 ? (
        <SelectField
          label="Several of your customers have this number"
          value={selectedId ?? ''}
          onChange={(e) => setChosen(Number(e.target.value))}
        >
          {customers.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
              {c.company ? ` (${c.company})` : ''}
            </option>
          ))}
        </SelectField>
      ) : null}
      {selectedId === null ? (
        <Card title="New customer">
          <CustomerWindowNewCustomer callId={callId} callerNumber={caller} onSaved={setChosen} />
        </Card>
      ) : (
        <ExistingCustomer id={selectedId} viewer={viewer} callbackPlans={callbackPlans} />
      )}
    </div>
  );
}

function ExistingCustomer({
  id,
  viewer,
  callbackPlans,
}: {
  id: number;
  viewer: DeskUser;
  callbackPlans?: (customer: Customer) => ReactNode;
}) {
  const detail = useCustomer(id);
  if (detail.isPending) return <p className="text-sm text-slate-500">Loading the customer…</p>;
  if (detail.isError) return <Alert tone="error">{errorMessage(detail.error)}</Alert>;
  const { customer, recentCalls } = detail.data;
  return (
    <>
      <Card title="Customer">
        <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2" data-testid="customer-window-customer">
          <div>
            <dt className="text-slate-500">Name</dt>
            <dd className="font-medium text-slate-900">{customer.name}</dd>
          </div>
          <div>
            <dt className="text-slate-500">Company</dt>
            <dd>{customer.company ?? '—'}</dd>
          </div>
          <div>
            <dt className="text-slate-500">Phone numbers</dt>
            <dd className="font-mono">{customer.phones.map((p) => p.number).join(', ')}</dd>
          </div>
          <div>
            <dt className="text-slate-500">Email</dt>
            <dd>{customer.email ?? '—'}</dd>
          </div>
          <div className="sm:col-span-2">
            <dt className="text-slate-500">Notes</dt>
            <dd className="whitespace-pre-wrap">{customer.notes ?? '—'}</dd>
          </div>
        </dl>
        <p className="mt-3 text-sm">
          <a
            href={`/crm/customers/${customer.id}`}
            target="switchboard-main"
            className="font-medium text-brand-700 hover:underline"
          >
            Open in Customer Management
          </a>
        </p>
      </Card>
      {callbackPlans ? callbackPlans(customer) : null}
      <section aria-labelledby="customer-window-calls">
        <h2 id="customer-window-calls" className="mb-2 text-sm font-semibold text-slate-900">
          Recent calls
        </h2>
        <CustomerWindowCalls name={customer.name} calls={recentCalls} timeZone={viewer.timeZone} />
      </section>
    </>
  );
}
