import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { Alert } from '../../../components/alert';
import { Badge } from '../../../components/badge';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { PageHeader } from '../../../components/page-header';
import { Pagination } from '../../../components/pagination';
import { SelectField } from '../../../components/select-field';
import { EmptyRow, Table, Td, Th } from '../../../components/table';
import { TextField } from '../../../components/text-field';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { useDebouncedValue } from '../../../lib/use-debounced-value';
import { useCreateSubscriber, usePlans, useSubscribers } from '../api/subscribers';

/** Prepaid subscribers: the portal's accounts, their balance and status. */
export function SubscribersPage() {
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState('');
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const debounced = useDebouncedValue(search, 250);
  const list = useSubscribers({ search: debounced, status, page });
  const rows = list.data?.subscribers ?? [];
  return (
    <div>
      <PageHeader
        title="Subscribers"
        description="Prepaid accounts: balance, plan, status and limits. Open one to top up, adjust or reset its PIN."
        actions={<Button onClick={() => setCreating(true)}>New subscriber</Button>}
      />
      <div className="mb-4 flex flex-wrap items-end gap-3">
        <TextField
          label="Search"
          placeholder="Name or account number"
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            setPage(1);
          }}
          className="min-w-64"
        />
        <SelectField
          label="Status"
          value={status}
          onChange={(e) => {
            setStatus(e.target.value);
            setPage(1);
          }}
        >
          <option value="">All</option>
          <option value="active">Active</option>
          <option value="suspended">Suspended</option>
        </SelectField>
      </div>
      {list.isError ? <Alert tone="error">{errorMessage(list.error)}</Alert> : null}
      <Table
        caption="Subscribers"
        head={
          <>
            <Th>Account</Th>
            <Th>Name</Th>
            <Th>Plan</Th>
            <Th className="text-right">Balance</Th>
            <Th className="text-right">Available</Th>
            <Th>Status</Th>
          </>
        }
      >
        {list.isPending ? (
          <EmptyRow colSpan={6}>Loading…</EmptyRow>
        ) : rows.length === 0 ? (
          <EmptyRow colSpan={6}>No subscribers match.</EmptyRow>
        ) : (
          rows.map((s) => (
            <tr key={s.id} data-testid="subscriber-row">
              <Td className="font-medium tabular-nums">
                <Link className="text-brand-700 hover:underline" to={`/admin/subscribers/${s.id}`}>
                  {s.accountNumber}
                </Link>
              </Td>
              <Td>{s.displayName || '—'}</Td>
              <Td>{s.plan?.name ?? '—'}</Td>
              <Td className="text-right tabular-nums">
                {s.balance} {s.currency}
              </Td>
              <Td className="text-right tabular-nums">
                {s.available} {s.currency}
              </Td>
              <Td>
                {s.status === 'active' ? (
                  <Badge tone="green">Active</Badge>
                ) : (
                  <Badge tone="red">Suspended</Badge>
                )}
              </Td>
            </tr>
          ))
        )}
      </Table>
      {list.data ? (
        <Pagination
          page={page}
          limit={list.data.pageSize}
          total={list.data.total}
          onPage={setPage}
          noun="subscribers"
        />
      ) : null}
      {creating ? <CreateSubscriberDialog onClose={() => setCreating(false)} /> : null}
    </div>
  );
}

/** The new-subscriber form's state and its submission; empty limit boxes mean no limit. */
function useCreateSubscriberForm(onClose: () => void) {
  const create = useCreateSubscriber();
  const [form, setForm] = useState({
    accountNumber: '',
    displayName: '',
    password: '',
    pin: '',
    currency: 'USD',
    planId: '',
    maxConcurrentCalls: '',
    maxCallsPerDay: '',
    allowedCountries: '',
  });
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));
  const errors = fieldErrorsOf(create.error);
  const num = (v: string) => (v.trim() === '' ? null : Number(v));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      {
        accountNumber: form.accountNumber,
        displayName: form.displayName,
        password: form.password,
        pin: form.pin || null,
        currency: form.currency,
        planId: form.planId ? Number(form.planId) : null,
        limits: {
          maxConcurrentCalls: num(form.maxConcurrentCalls),
          maxCallsPerDay: num(form.maxCallsPerDay),
          allowedCountries: form.allowedCountries.trim()
            ? form.allowedCountries.split(/[\s,;]+/).filter(Boolean)
            : null,
        },
      },
      { onSuccess: onClose },
    );
  };
  return { create, form, set, errors, submit };
}

function CreateSubscriberDialog({ onClose }: { onClose: () => void }) {
  const { create, form, set, errors, submit } = useCreateSubscriberForm(onClose);
  const plans = usePlans();
  const plansInCurrency = (plans.data ?? []).filter((p) => p.currency === form.currency.toUpperCase());
  return (
    <Dialog
      open
      title="New subscriber"
      description="They sign in to the portal with the account number and password."
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="create-subscriber" disabled={create.isPending}>
            Create subscriber
          </Button>
        </>
      }
    >
      <form
        id="create-subscriber"
        onSubmit={submit}
        className="grid grid-cols-1 gap-3 sm:grid-cols-2"
        noValidate
      >
        {create.isError && Object.keys(errors).length === 0 ? (
          <div className="sm:col-span-2">
            <Alert tone="error">{errorMessage(create.error)}</Alert>
          </div>
        ) : null}
        <TextField
          label="Account (soft-phone) number"
          value={form.accountNumber}
          onChange={set('accountNumber')}
          error={errors.accountNumber}
          inputMode="tel"
          required
        />
        <TextField
          label="Display name"
          value={form.displayName}
          onChange={set('displayName')}
          error={errors.displayName}
          required
        />
        <TextField
          label="Portal password"
          type="password"
          autoComplete="new-password"
          value={form.password}
          onChange={set('password')}
          error={errors.password}
          required
        />
        <TextField
          label="Phone PIN"
          hint="4 to 10 digits (optional)"
          inputMode="numeric"
          value={form.pin}
          onChange={set('pin')}
          error={errors.pin}
        />
        <TextField
          label="Currency"
          value={form.currency}
          onChange={set('currency')}
          error={errors.currency}
          maxLength={3}
        />
        <SelectField label="Plan" value={form.planId} onChange={set('planId')} error={errors.planId}>
          <option value="">Default plan of the currency</option>
          {plansInCurrency.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} ({p.rateTableName})
            </option>
          ))}
        </SelectField>
        <TextField
          label="Calls at once"
          hint="Empty: no limit"
          inputMode="numeric"
          value={form.maxConcurrentCalls}
          onChange={set('maxConcurrentCalls')}
          error={errors['limits.maxConcurrentCalls']}
        />
        <TextField
          label="Calls per day"
          hint="Empty: no limit"
          inputMode="numeric"
          value={form.maxCallsPerDay}
          onChange={set('maxCallsPerDay')}
          error={errors['limits.maxCallsPerDay']}
        />
        <TextField
          label="Allowed destination countries"
          hint="ISO codes such as US GB; empty: every country"
          value={form.allowedCountries}
          onChange={set('allowedCountries')}
          error={Object.entries(errors).find(([k]) => k.startsWith('limits.allowedCountries'))?.[1]}
          className="sm:col-span-2"
        />
      </form>
    </Dialog>
  );
}
