import type { AdminSubscriber } from '@switchboard/shared';
import { type FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert } from '../../../components/alert';
import { Badge } from '../../../components/badge';
import { Button } from '../../../components/button';
import { Card } from '../../../components/card';
import { Dialog } from '../../../components/dialog';
import { PageHeader } from '../../../components/page-header';
import { Pagination } from '../../../components/pagination';
import { SelectField } from '../../../components/select-field';
import { EmptyRow, Table, Td, Th } from '../../../components/table';
import { TextField } from '../../../components/text-field';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { browserTimeZone, formatDateTime } from '../../../lib/format';
import { useCurrentUser } from '../../auth/api/get-me';
import {
  useAddSubscriberCallerId,
  useCreditSubscriber,
  useRemoveSubscriberCallerId,
  useSubscriber,
  useSubscriberLedger,
  useUpdateSubscriber,
} from '../api/subscribers';

const kindLabels: Record<string, string> = {
  top_up: 'Top-up',
  adjustment: 'Adjustment',
  call_debit: 'Call',
  reservation: 'Reservation',
  release: 'Release',
};

/** One prepaid account: money with a reason, status, PIN and password resets, caller IDs, ledger. */
export function SubscriberPage() {
  const id = Number(useParams().id);
  const sub = useSubscriber(id);
  const update = useUpdateSubscriber(id);
  const [dialog, setDialog] = useState<null | 'credit' | 'pin' | 'password'>(null);
  if (sub.isError) return <Alert tone="error">{errorMessage(sub.error)}</Alert>;
  if (!sub.data) return <p className="text-sm text-slate-500">Loading…</p>;
  const s = sub.data;
  return (
    <div className="space-y-4">
      <PageHeader
        title={`${s.displayName || 'Subscriber'} · ${s.accountNumber}`}
        description={`Plan ${s.plan?.name ?? '—'} · ${s.currency}`}
        actions={
          <>
            <Button onClick={() => setDialog('credit')}>Top up or adjust</Button>
            <Button variant="secondary" onClick={() => setDialog('pin')}>
              Reset PIN
            </Button>
            <Button variant="secondary" onClick={() => setDialog('password')}>
              Reset password
            </Button>
            <Button
              variant={s.status === 'active' ? 'danger' : 'secondary'}
              disabled={update.isPending}
              onClick={() => update.mutate({ status: s.status === 'active' ? 'suspended' : 'active' })}
            >
              {s.status === 'active' ? 'Suspend' : 'Reactivate'}
            </Button>
          </>
        }
      />
      <p className="text-sm">
        <Link to="/admin/subscribers" className="text-brand-700 hover:underline">
          ← All subscribers
        </Link>
      </p>
      {update.isError ? <Alert tone="error">{errorMessage(update.error)}</Alert> : null}
      <Card title="Account">
        <dl className="grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-4">
          <dt className="text-slate-500">Balance</dt>
          <dd className="font-semibold tabular-nums" data-testid="subscriber-balance">
            {s.balance} {s.currency}
          </dd>
          <dt className="text-slate-500">Available</dt>
          <dd className="tabular-nums">
            {s.available} {s.currency}
          </dd>
          <dt className="text-slate-500">Reserved by calls</dt>
          <dd className="tabular-nums">
            {s.reserved} {s.currency}
          </dd>
          <dt className="text-slate-500">Status</dt>
          <dd>
            {s.status === 'active' ? <Badge tone="green">Active</Badge> : <Badge tone="red">Suspended</Badge>}
          </dd>
          <dt className="text-slate-500">Calls at once</dt>
          <dd>{s.limits.maxConcurrentCalls ?? 'No limit'}</dd>
          <dt className="text-slate-500">Calls per day</dt>
          <dd>{s.limits.maxCallsPerDay ?? 'No limit'}</dd>
          <dt className="text-slate-500">Countries</dt>
          <dd>{s.limits.allowedCountries?.join(', ') ?? 'All'}</dd>
          <dt className="text-slate-500">PIN</dt>
          <dd>{s.pinSet ? 'Set' : 'Not set'}</dd>
        </dl>
      </Card>
      <CallerIds subscriber={s} />
      <Ledger id={id} />
      {dialog === 'credit' ? <CreditDialog subscriber={s} onClose={() => setDialog(null)} /> : null}
      {dialog === 'pin' || dialog === 'password' ? (
        <ResetDialog subscriber={s} what={dialog} onClose={() => setDialog(null)} />
      ) : null}
    </div>
  );
}

function CallerIds({ subscriber }: { subscriber: AdminSubscriber }) {
  const add = useAddSubscriberCallerId(subscriber.id);
  const remove = useRemoveSubscriberCallerId(subscriber.id);
  const [number, setNumber] = useState('');
  const errors = fieldErrorsOf(add.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate(number, { onSuccess: () => setNumber('') });
  };
  return (
    <Card title="Authorized caller IDs">
      <ul className="mb-3 divide-y divide-slate-100 text-sm">
        {subscriber.callerIds.length === 0 ? <li className="py-2 text-slate-500">None.</li> : null}
        {subscriber.callerIds.map((c) => (
          <li key={c.id} className="flex items-center justify-between py-1.5">
            <span className="tabular-nums">{c.number}</span>
            <Button
              variant="ghost-danger"
              size="sm"
              onClick={() => remove.mutate(c.id)}
              aria-label={`Remove ${c.number}`}
            >
              Remove
            </Button>
          </li>
        ))}
      </ul>
      <form onSubmit={submit} className="flex flex-wrap items-end gap-3" noValidate>
        <TextField
          label="Add a caller ID"
          inputMode="tel"
          value={number}
          onChange={(e) => setNumber(e.target.value)}
          error={errors.number ?? (add.isError && !errors.number ? errorMessage(add.error) : undefined)}
        />
        <Button type="submit" variant="secondary" disabled={add.isPending || !number.trim()}>
          Add
        </Button>
      </form>
    </Card>
  );
}

function Ledger({ id }: { id: number }) {
  const { data: me } = useCurrentUser();
  const [page, setPage] = useState(1);
  const ledger = useSubscriberLedger(id, page);
  const entries = ledger.data?.entries ?? [];
  return (
    <section className="space-y-2">
      <h2 className="text-sm font-semibold">Ledger</h2>
      <Table
        caption="Ledger"
        head={
          <>
            <Th>When</Th>
            <Th>Kind</Th>
            <Th>Reason</Th>
            <Th>By</Th>
            <Th className="text-right">Amount</Th>
            <Th className="text-right">Held</Th>
            <Th className="text-right">Balance after</Th>
          </>
        }
      >
        {ledger.isPending ? (
          <EmptyRow colSpan={7}>Loading…</EmptyRow>
        ) : entries.length === 0 ? (
          <EmptyRow colSpan={7}>No entries.</EmptyRow>
        ) : (
          entries.map((e) => (
            <tr key={e.id} data-testid="admin-ledger-row">
              <Td className="whitespace-nowrap">
                {formatDateTime(e.createdAt, me?.timeZone ?? browserTimeZone())}
              </Td>
              <Td>{kindLabels[e.kind] ?? e.kind}</Td>
              <Td className="text-slate-500">{e.reason ?? '—'}</Td>
              <Td>{e.actor.name ?? e.actor.kind}</Td>
              <Td className="text-right tabular-nums">{e.amount}</Td>
              <Td className="text-right tabular-nums text-slate-500">{e.held}</Td>
              <Td className="text-right tabular-nums">{e.balanceAfter}</Td>
            </tr>
          ))
        )}
      </Table>
      {ledger.data ? (
        <Pagination
          page={page}
          limit={ledger.data.pageSize}
          total={ledger.data.total}
          onPage={setPage}
          noun="entries"
        />
      ) : null}
    </section>
  );
}

function CreditDialog({ subscriber, onClose }: { subscriber: AdminSubscriber; onClose: () => void }) {
  const credit = useCreditSubscriber(subscriber.id);
  const [kind, setKind] = useState<'top_up' | 'credit' | 'debit'>('top_up');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const errors = fieldErrorsOf(credit.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    credit.mutate(
      kind === 'top_up'
        ? { amount, reason, kind: 'top_up' }
        : { amount, reason, kind: 'adjustment', direction: kind },
      { onSuccess: onClose },
    );
  };
  return (
    <Dialog
      open
      size="sm"
      title="Top up or adjust"
      description={`Balance ${subscriber.balance} ${subscriber.currency}, available ${subscriber.available}.`}
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="credit" disabled={credit.isPending}>
            Save
          </Button>
        </>
      }
    >
      <form id="credit" onSubmit={submit} className="space-y-3" noValidate>
        {credit.isError && !errors.amount && !errors.reason ? (
          <Alert tone="error">{errorMessage(credit.error)}</Alert>
        ) : null}
        <SelectField label="What" value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
          <option value="top_up">Top-up (adds money)</option>
          <option value="credit">Adjustment: add</option>
          <option value="debit">Adjustment: take off</option>
        </SelectField>
        <TextField
          label={`Amount (${subscriber.currency})`}
          inputMode="decimal"
          placeholder="10.00"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          error={errors.amount}
        />
        <TextField
          label="Reason"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          error={errors.reason}
        />
      </form>
    </Dialog>
  );
}

function ResetDialog({
  subscriber,
  what,
  onClose,
}: {
  subscriber: AdminSubscriber;
  what: 'pin' | 'password';
  onClose: () => void;
}) {
  const update = useUpdateSubscriber(subscriber.id);
  const [value, setValue] = useState('');
  const errors = fieldErrorsOf(update.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    update.mutate(what === 'pin' ? { pin: value } : { password: value }, { onSuccess: onClose });
  };
  return (
    <Dialog
      open
      size="sm"
      title={what === 'pin' ? 'Reset phone PIN' : 'Reset portal password'}
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="reset" disabled={update.isPending}>
            Reset
          </Button>
        </>
      }
    >
      <form id="reset" onSubmit={submit} className="space-y-3" noValidate>
        {update.isError && !errors[what] ? <Alert tone="error">{errorMessage(update.error)}</Alert> : null}
        <TextField
          label={what === 'pin' ? 'New PIN (4 to 10 digits)' : 'New password'}
          type="password"
          inputMode={what === 'pin' ? 'numeric' : undefined}
          autoComplete="new-password"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          error={errors[what]}
        />
      </form>
    </Dialog>
  );
}
