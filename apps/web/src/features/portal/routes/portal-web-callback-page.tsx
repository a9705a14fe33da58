import type { PhoneNumberParts, StartWebCallback, WebCallback } from '@switchboard/shared';
import { type FormEvent, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { Card } from '../../../components/card';
import { Pagination } from '../../../components/pagination';
import { EmptyRow, Table, Td, Th } from '../../../components/table';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { formatDateTime, formatDuration } from '../../../lib/format';
import { useCallbackNumber } from '../api/get-callback-number';
import { useWebCallback } from '../api/get-web-callback';
import { useWebCallbacks } from '../api/get-web-callbacks';
import { useHangUpWebCallback } from '../api/hang-up-web-callback';
import { useStartWebCallback } from '../api/start-web-callback';
import { usePortalCallbackEvents } from '../api/use-portal-callback-events';
import { emptyParts, PhoneNumberFields, partsForApi } from '../components/phone-number-fields';
import { browserTimeZone, PortalLayout } from '../components/portal-layout';
import { LegStatusBadge, WebCallbackStatus } from '../components/web-callback-status';

/** Web Call Back: call the destination through your own phone, watch each leg live, and the history. */
export function PortalWebCallbackPage() {
  const live = usePortalCallbackEvents();
  const registered = useCallbackNumber();
  const [page, setPage] = useState(1);
  const history = useWebCallbacks(page);
  const [shownId, setShownId] = useState<number | null>(null);
  // After a reload the call in progress is found again in the history, and stays shown once it ends.
  const inProgress = history.data?.webCallbacks.find((w) => w.status !== 'ended') ?? null;
  useEffect(() => {
    if (inProgress && shownId === null) setShownId(inProgress.id);
  }, [inProgress, shownId]);
  const currentId = shownId ?? inProgress?.id ?? null;
  const current = useWebCallback(currentId);
  const hangUp = useHangUpWebCallback();

  return (
    <PortalLayout>
      {registered.isPending ? null : registered.data === null ? (
        <Card title="Web callback">
          <p className="mb-4 text-sm text-slate-700" data-testid="register-first">
            Please register a call-back number first before making call back
          </p>
          <Link
            to="/portal/callback-number"
            className="inline-flex items-center rounded-md bg-brand-600 px-3.5 py-2 text-sm font-medium text-white shadow-sm hover:bg-brand-700"
          >
            Add call-back number
          </Link>
        </Card>
      ) : (
        <CallForm
          live={live}
          registered={registered.data?.e164 ?? ''}
          busy={!!current.data && current.data.status !== 'ended'}
          onStarted={(wc) => setShownId(wc.id)}
        />
      )}
      {current.data ? (
        <WebCallbackStatus
          call={current.data}
          hangingUp={hangUp.isPending}
          onHangUp={() => hangUp.mutate(current.data.id)}
        />
      ) : null}
      {hangUp.isError ? <Alert tone="error">{errorMessage(hangUp.error)}</Alert> : null}
      <History rows={history.data?.webCallbacks ?? []} pending={history.isPending} />
      {history.data && history.data.total > history.data.pageSize ? (
        <Pagination
          page={page}
          limit={history.data.pageSize}
          total={history.data.total}
          onPage={setPage}
          noun="web callbacks"
        />
      ) : null}
    </PortalLayout>
  );
}

function CallForm({
  live,
  registered,
  busy,
  onStarted,
}: {
  live: boolean;
  registered: string;
  busy: boolean;
  onStarted: (wc: WebCallback) => void;
}) {
  const start = useStartWebCallback();
  const [destination, setDestination] = useState<PhoneNumberParts>(emptyParts);
  const [changeNumber, setChangeNumber] = useState(false);
  const [legA, setLegA] = useState<PhoneNumberParts>(emptyParts);
  const errors = fieldErrorsOf(start.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: StartWebCallback = { destination: partsForApi(destination) };
    if (changeNumber) body.legA = partsForApi(legA);
    start.mutate(body, { onSuccess: onStarted });
  };
  return (
    <Card title="Web callback">
      <form onSubmit={submit} className="space-y-4" noValidate>
        {changeNumber ? (
          <div className="rounded-md bg-amber-50 p-3 ring-1 ring-amber-200" data-testid="one-off-number">
            <PhoneNumberFields
              legend="Call me on this number — for this call only"
              name="legA"
              value={legA}
              onChange={setLegA}
              errors={errors}
            />
            <p className="mt-2 text-xs text-amber-900">
              Your registered number {registered} stays as it is.{' '}
              <button type="button" className="font-medium underline" onClick={() => setChangeNumber(false)}>
                Use it instead
              </button>
            </p>
          </div>
        ) : (
          <p className="text-sm text-slate-600">
            We call you on <strong className="tabular-nums">{registered}</strong> first.{' '}
            <button
              type="button"
              className="font-medium text-brand-700 underline"
              onClick={() => setChangeNumber(true)}
            >
              Change Number
            </button>
          </p>
        )}
        <PhoneNumberFields
          legend="Destination"
          name="destination"
          value={destination}
          onChange={setDestination}
          errors={errors}
        />
        {start.isError && Object.keys(errors).length === 0 ? (
          <Alert tone="error">{errorMessage(start.error)}</Alert>
        ) : null}
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" disabled={start.isPending || busy}>
            Call
          </Button>
          <span className="text-xs text-slate-500" data-testid="live-status" data-live={live}>
            {live ? 'Live call status on' : 'Connecting live call status…'}
          </span>
        </div>
      </form>
    </Card>
  );
}

function History({ rows, pending }: { rows: WebCallback[]; pending: boolean }) {
  return (
    <Table
      caption="Web callback history"
      head={
        <>
          <Th>Started</Th>
          <Th>Your phone</Th>
          <Th>Destination</Th>
          <Th>Talk time</Th>
          <Th>Cost</Th>
        </>
      }
    >
      {pending ? (
        <EmptyRow colSpan={5}>Loading…</EmptyRow>
      ) : rows.length === 0 ? (
        <EmptyRow colSpan={5}>No web callbacks yet.</EmptyRow>
      ) : (
        rows.map((w) => (
          <tr key={w.id} data-testid="web-callback-row">
            <Td className="whitespace-nowrap">{formatDateTime(w.createdAt, browserTimeZone)}</Td>
            {w.legs.map((leg) => (
              <Td key={leg.side}>
                <span className="mr-2 tabular-nums">{leg.number}</span>
                <LegStatusBadge status={leg.status} />
              </Td>
            ))}
            <Td className="tabular-nums">{formatDuration(w.durationS)}</Td>
            <Td className="tabular-nums">{w.cost !== null ? `${w.cost} ${w.currency}` : '—'}</Td>
          </tr>
        ))
      )}
    </Table>
  );
}
