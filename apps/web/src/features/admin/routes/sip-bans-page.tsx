import { Alert } from '../../../components/alert';
import { Badge } from '../../../components/badge';
import { Button } from '../../../components/button';
import { PageHeader } from '../../../components/page-header';
import { EmptyRow, Table, Td, Th } from '../../../components/table';
import { errorMessage } from '../../../lib/field-errors';
import { browserTimeZone, formatTime } from '../../../lib/format';
import { useCurrentUser } from '../../auth/api/get-me';
import { useSipBans } from '../api/get-sip-bans';
import { useLiftSipBan } from '../api/lift-sip-ban';

const REASONS = { flood: 'Too many requests', auth_failures: 'Failed sign-ins' } as const;

export function SipBansPage() {
  const bans = useSipBans();
  const zone = useCurrentUser().data?.timeZone ?? browserTimeZone();
  const time = (ms: number) => formatTime(ms, zone);
  const lift = useLiftSipBan();
  const limits = bans.data?.limits;
  const rows = bans.data?.bans ?? [];
  return (
    <div>
      <PageHeader
        title="SIP bans"
        description={
          limits
            ? `Addresses sending more than ${limits.requests} new SIP requests in ${limits.windowMs / 1000} s, or failing ${limits.authFailures} sign-ins in ${limits.authWindowMs / 1000} s, are ignored for ${limits.banMs / 1000} s. Calls in progress and carrier trunks are never affected.`
            : 'Addresses the switch ignores for a while after a flood or repeated failed sign-ins.'
        }
      />
      {bans.isError ? <Alert tone="error">{errorMessage(bans.error)}</Alert> : null}
      {lift.isError ? <Alert tone="error">{errorMessage(lift.error)}</Alert> : null}
      <Table
        caption="Banned SIP addresses"
        head={
          <>
            <Th>Address</Th>
            <Th>Reason</Th>
            <Th>Since</Th>
            <Th>Until</Th>
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          </>
        }
      >
        {bans.isPending ? (
          <EmptyRow colSpan={5}>Loading…</EmptyRow>
        ) : rows.length === 0 ? (
          <EmptyRow colSpan={5}>No address is banned.</EmptyRow>
        ) : (
          rows.map((b) => (
            <tr key={b.address}>
              <Td className="font-mono text-xs">{b.address}</Td>
              <Td>
                <Badge tone={b.reason === 'auth_failures' ? 'red' : 'amber'}>{REASONS[b.reason]}</Badge>
              </Td>
              <Td>{time(b.since)}</Td>
              <Td>{time(b.until)}</Td>
              <Td className="whitespace-nowrap text-right">
                <Button
                  variant="ghost"
                  disabled={lift.isPending}
                  onClick={() => lift.mutate(b.address)}
                  aria-label={`Unban ${b.address}`}
                >
                  Unban
                </Button>
              </Td>
            </tr>
          ))
        )}
      </Table>
    </div>
  );
}
