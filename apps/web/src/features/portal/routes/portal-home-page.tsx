import { useState } from 'react';
import { Link } from 'react-router';
import { Alert } from '../../../components/alert';
import { Badge } from '../../../components/badge';
import { Card } from '../../../components/card';
import { Pagination } from '../../../components/pagination';
import { EmptyRow, Table, Td, Th } from '../../../components/table';
import { errorMessage } from '../../../lib/field-errors';
import { formatDateTime } from '../../../lib/format';
import { usePortalAccount, usePortalLedger } from '../api/portal-account';
import { browserTimeZone, ledgerKindLabels, PortalLayout } from '../components/portal-layout';

export function PortalHomePage() {
  return (
    <PortalLayout>
      <AccountCard />
      <LedgerCard />
      <Card title="Web callback">
        <p className="text-sm text-slate-600">
          Call any number through your own phone: we call you first, then connect you.{' '}
          <Link to="/portal/web-callback" className="font-medium text-brand-700 underline">
            Make a web callback
          </Link>
        </p>
      </Card>
    </PortalLayout>
  );
}

function AccountCard() {
  const account = usePortalAccount();
  if (account.isError) return <Alert tone="error">{errorMessage(account.error)}</Alert>;
  const s = account.data;
  return (
    <Card title="Your account">
      {s ? (
        <div className="space-y-4">
          <div className="flex flex-wrap items-end gap-8">
            <div>
              <p className="text-xs font-medium tracking-wide text-slate-500 uppercase">Balance</p>
              <p className="text-3xl font-semibold tabular-nums" data-testid="portal-balance">
                {s.balance} <span className="text-lg font-medium text-slate-500">{s.currency}</span>
              </p>
            </div>
            <div>
              <p className="text-xs font-medium tracking-wide text-slate-500 uppercase">
                Available for calls
              </p>
              <p className="text-xl font-medium tabular-nums" data-testid="portal-available">
                {s.available} {s.currency}
              </p>
            </div>
            {s.reserved !== '0.00' && s.reserved !== '0' ? (
              <div>
                <p className="text-xs font-medium tracking-wide text-slate-500 uppercase">
                  Held by calls in progress
                </p>
                <p className="text-xl font-medium tabular-nums">
                  {s.reserved} {s.currency}
                </p>
              </div>
            ) : null}
          </div>
          <dl className="grid grid-cols-1 gap-y-2 text-sm sm:grid-cols-[12rem_1fr]">
            <dt className="text-slate-500">Account number</dt>
            <dd className="font-medium">{s.accountNumber}</dd>
            <dt className="text-slate-500">Name</dt>
            <dd className="font-medium">{s.displayName || '—'}</dd>
            <dt className="text-slate-500">Status</dt>
            <dd>
              {s.status === 'active' ? (
                <Badge tone="green">Active</Badge>
              ) : (
                <Badge tone="red">Suspended</Badge>
              )}
            </dd>
            <dt className="text-slate-500">Plan</dt>
            <dd className="font-medium">{s.plan?.name ?? '—'}</dd>
            <dt className="text-slate-500">Call-back number</dt>
            <dd className="font-medium">
              {s.callbackNumber
                ? `+${s.callbackNumber.countryCode} ${s.callbackNumber.areaCode} ${s.callbackNumber.number}`
                : 'Not registered yet'}
            </dd>
          </dl>
        </div>
      ) : (
        <p className="text-sm text-slate-500">Loading…</p>
      )}
    </Card>
  );
}

function LedgerCard() {
  const [page, setPage] = useState(1);
  const ledger = usePortalLedger(page);
  const entries = ledger.data?.entries ?? [];
  return (
    <section aria-labelledby="ledger-title" className="space-y-2">
      <h2 id="ledger-title" className="text-sm font-semibold text-slate-900">
        Account history
      </h2>
      {ledger.isError ? <Alert tone="error">{errorMessage(ledger.error)}</Alert> : null}
      <Table
        caption="Account history"
        head={
          <>
            <Th>When</Th>
            <Th>What</Th>
            <Th>Details</Th>
            <Th className="text-right">Amount</Th>
            <Th className="text-right">Balance</Th>
          </>
        }
      >
        {ledger.isPending ? (
          <EmptyRow colSpan={5}>Loading…</EmptyRow>
        ) : entries.length === 0 ? (
          <EmptyRow colSpan={5}>Nothing yet.</EmptyRow>
        ) : (
          entries.map((e) => (
            <tr key={e.id} data-testid="ledger-row">
              <Td className="whitespace-nowrap">{formatDateTime(e.createdAt, browserTimeZone)}</Td>
              <Td className="whitespace-nowrap">{ledgerKindLabels[e.kind] ?? e.kind}</Td>
              <Td className="text-slate-500">{e.reason ?? '—'}</Td>
              <Td className="text-right tabular-nums whitespace-nowrap">
                {e.kind === 'reservation' || e.kind === 'release' ? (
                  <span className="text-slate-400">
                    {e.kind === 'reservation' ? 'held' : 'freed'} {e.held.replace(/^-/, '')}
                  </span>
                ) : (
                  <span className={e.amount.startsWith('-') ? 'text-red-700' : 'text-emerald-700'}>
                    {e.amount.startsWith('-') ? e.amount : `+${e.amount}`}
                  </span>
                )}
              </Td>
              <Td className="text-right tabular-nums">
                {e.balanceAfter} {e.currency}
              </Td>
            </tr>
          ))
        )}
      </Table>
      {ledger.data && ledger.data.total > ledger.data.pageSize ? (
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
