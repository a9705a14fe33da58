import { Link } from 'react-router';
import { Alert } from '../../../components/alert';
import { PageHeader } from '../../../components/page-header';
import { EmptyRow, Table, Td, Th } from '../../../components/table';
import { errorMessage } from '../../../lib/field-errors';
import { browserTimeZone, formatTime } from '../../../lib/format';
import { useCurrentUser } from '../../auth/api/get-me';
import { useMonitorableCalls } from '../api/get-monitorable-calls';
import { useQueueOverview } from '../api/get-queues';
import { MonitorButtons } from '../components/agent-actions';

export function QueuesPage() {
  const overview = useQueueOverview();
  const rows = overview.data?.queues ?? [];
  const { data: user } = useCurrentUser();
  // Calls in progress, by queue (calls that came in directly last), to listen, whisper or barge.
  const calls = [...(useMonitorableCalls().data ?? [])].sort(
    (a, b) =>
      (a.queue === null ? 1 : 0) - (b.queue === null ? 1 : 0) || (a.queue ?? '').localeCompare(b.queue ?? ''),
  );
  return (
    <div>
      <PageHeader
        title="Queues"
        description="Waiting calls, members and today's calls per queue."
        actions={
          <>
            <Link
              to="/tasks"
              className="inline-flex items-center rounded-md bg-white px-3.5 py-2 text-sm font-medium text-slate-800 shadow-sm ring-1 ring-slate-300 hover:bg-slate-50"
            >
              All outbound tasks
            </Link>
            <Link
              to="/crm"
              className="inline-flex items-center rounded-md bg-white px-3.5 py-2 text-sm font-medium text-slate-800 shadow-sm ring-1 ring-slate-300 hover:bg-slate-50"
            >
              All contacts
            </Link>
          </>
        }
      />
      {overview.isError ? <Alert tone="error">{errorMessage(overview.error)}</Alert> : null}
      <Table
        caption="Queues"
        head={
          <>
            <Th>Queue</Th>
            <Th>Strategy</Th>
            <Th className="text-right">Waiting</Th>
            <Th className="text-right">Members</Th>
            <Th className="text-right">Paused</Th>
            <Th className="text-right">Calls today</Th>
            <Th className="text-right">Answered today</Th>
          </>
        }
      >
        {overview.isPending ? (
          <EmptyRow colSpan={7}>Loading…</EmptyRow>
        ) : rows.length === 0 ? (
          <EmptyRow colSpan={7}>
            No queues yet. An administrator creates them under Queues &amp; routes.
          </EmptyRow>
        ) : (
          rows.map((q) => (
            <tr key={q.id} data-testid="queue-row">
              <Td className="font-medium text-slate-900">{q.name}</Td>
              <Td>{q.strategy}</Td>
              <Td className="text-right tabular-nums">{q.waiting}</Td>
              <Td className="text-right tabular-nums">{q.members}</Td>
              <Td className="text-right tabular-nums">{q.pausedMembers}</Td>
              <Td className="text-right tabular-nums">{q.callsToday}</Td>
              <Td className="text-right tabular-nums">{q.answeredToday}</Td>
            </tr>
          ))
        )}
      </Table>
      <p className="mt-3 text-xs text-slate-500">Refreshes every 10 seconds. Days are counted in UTC.</p>
      <h2 className="mt-8 mb-2 text-base font-semibold text-slate-900">Calls in progress</h2>
      <Table
        caption="Calls in progress"
        head={
          <>
            <Th>Queue</Th>
            <Th>Agent</Th>
            <Th>Answered</Th>
            <Th>Monitor</Th>
          </>
        }
      >
        {calls.length === 0 ? (
          <EmptyRow colSpan={4}>No calls you may monitor are in progress.</EmptyRow>
        ) : (
          calls.map((call) => (
            <tr key={call.callId} data-testid="queue-call-row">
              <Td className="font-medium text-slate-900">{call.queue ?? 'Direct'}</Td>
              <Td>{call.agentName}</Td>
              <Td className="tabular-nums">
                {call.answeredAt
                  ? formatTime(call.answeredAt, user?.timeZone ?? browserTimeZone())
                  : 'Ringing'}
              </Td>
              <Td>
                <MonitorButtons call={call} />
              </Td>
            </tr>
          ))
        )}
      </Table>
    </div>
  );
}
