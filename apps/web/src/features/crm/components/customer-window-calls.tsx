import type { CustomerCall } from '@switchboard/shared';
import { Badge } from '../../../components/badge';
import { EmptyRow, Table, Td, Th } from '../../../components/table';
import { WrapUpCode } from '../../../components/wrap-up-code';
import { formatDateTime, formatDuration } from '../../../lib/format';

const callTypes = { inbound: 'Inbound', manual: 'Manual Dialed', auto: 'Auto Dialed' } as const;
const dispositionTone = { answered: 'green', unanswered: 'amber', busy: 'amber', failed: 'red' } as const;

/** The customer's recent calls, at the bottom of the pop-up window. */
export function CustomerWindowCalls({
  name,
  calls,
  timeZone,
}: {
  name: string;
  calls: CustomerCall[];
  timeZone: string;
}) {
  return (
    <Table
      caption={`Recent calls with ${name}`}
      head={
        <>
          <Th>Time</Th>
          <Th>Type</Th>
          <Th>Agent</Th>
          <Th>Queue</Th>
          <Th>Result</Th>
          <Th className="text-right">Duration</Th>
        </>
      }
    >
      {calls.length === 0 ? (
        <EmptyRow colSpan={6}>No calls with this customer yet.</EmptyRow>
      ) : (
        calls.map((call) => (
          <tr key={call.id}>
            <Td className="whitespace-nowrap">{formatDateTime(call.startedAt, timeZone)}</Td>
            <Td>{callTypes[call.type]}</Td>
            <Td>{call.agentName ?? '—'}</Td>
            <Td>{call.queueName ?? '—'}</Td>
            <Td>
              {call.disposition ? (
                <Badge tone={dispositionTone[call.disposition]}>{call.disposition}</Badge>
              ) : (
                <Badge tone="blue">in progress</Badge>
              )}
              <WrapUpCode code={call.wrapupCode} note={call.wrapupNote} />
            </Td>
            <Td className="text-right tabular-nums">{formatDuration(call.durationS)}</Td>
          </tr>
        ))
      )}
    </Table>
  );
}
