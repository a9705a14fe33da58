import type { PortalSmsRequest } from '@switchboard/shared';
import { Alert } from '../../../components/alert';
import { Badge } from '../../../components/badge';
import { Card } from '../../../components/card';
import { EmptyRow, Table, Td, Th } from '../../../components/table';
import { errorMessage } from '../../../lib/field-errors';
import { formatDateTime } from '../../../lib/format';
import { usePortalSmsCallback } from '../api/get-sms-callback';
import { browserTimeZone, PortalLayout } from '../components/portal-layout';

const outcome: Record<
  PortalSmsRequest['status'],
  { label: string; tone: 'red' | 'amber' | 'blue' | 'green' }
> = {
  refused: { label: 'Refused', tone: 'red' },
  scheduled: { label: 'Calling back soon', tone: 'amber' },
  calling: { label: 'Calling', tone: 'blue' },
  done: { label: 'Done', tone: 'green' },
  failed: { label: 'Failed', tone: 'red' },
};

/** SMS callback: the commands a subscriber can text to the access number, and their latest requests. */
export function PortalSmsCallbackPage() {
  const sms = usePortalSmsCallback();
  const data = sms.data;
  const requests = data?.requests ?? [];
  return (
    <PortalLayout>
      {sms.isError ? <Alert tone="error">{errorMessage(sms.error)}</Alert> : null}
      <Card title="SMS callback">
        {data && data.services.length === 0 ? (
          <p className="text-sm text-slate-500">No callback service takes SMS at the moment.</p>
        ) : (
          <p className="mb-3 text-sm text-slate-600" data-testid="sms-numbers">
            Text a command to{' '}
            {(data?.services ?? []).map((s, i) => (
              <span key={s.number}>
                {i > 0 ? ' or ' : ''}
                <span className="font-mono font-medium text-slate-900">{s.number}</span> ({s.name})
              </span>
            ))}
            . Commands are not case-sensitive. Send them from one of your authorized caller IDs; register a
            new phone with REG and your PIN first.
          </p>
        )}
        <Table
          caption="SMS commands"
          head={
            <>
              <Th>Command</Th>
              <Th>What it does</Th>
            </>
          }
        >
          {(data?.commands ?? []).map((c) => (
            <tr key={c.usage}>
              <Td className="font-mono text-sm">{c.usage}</Td>
              <Td>
                {c.description
                  ? c.description[0]!.toUpperCase() + c.description.slice(1)
                  : 'Reply with the commands'}
              </Td>
            </tr>
          ))}
        </Table>
      </Card>
      <Table
        caption="Your SMS requests"
        head={
          <>
            <Th>When</Th>
            <Th>Call back</Th>
            <Th>Connect to</Th>
            <Th>Outcome</Th>
          </>
        }
      >
        {requests.length === 0 ? (
          <EmptyRow colSpan={4}>{sms.isPending ? 'Loading…' : 'No SMS requests yet.'}</EmptyRow>
        ) : (
          requests.map((r) => (
            <tr key={r.id}>
              <Td>{formatDateTime(r.createdAt, browserTimeZone)}</Td>
              <Td className="font-mono text-xs">{r.callbackNumber ?? r.from ?? '—'}</Td>
              <Td className="font-mono text-xs">{r.destination ?? 'Asked on the call'}</Td>
              <Td>
                <Badge tone={outcome[r.status].tone}>{outcome[r.status].label}</Badge>
                {r.reason ? (
                  <span className="ml-2 text-sm text-slate-600">{r.reason.replaceAll('_', ' ')}</span>
                ) : null}
              </Td>
            </tr>
          ))
        )}
      </Table>
    </PortalLayout>
  );
}
