import { Alert } from '../../../components/alert';
import { Badge, type BadgeTone } from '../../../components/badge';
import { PageHeader } from '../../../components/page-header';
import { EmptyRow, Table, Td, Th } from '../../../components/table';
import { errorMessage } from '../../../lib/field-errors';
import { browserTimeZone, formatDateTime } from '../../../lib/format';
import { useCurrentUser } from '../../auth/api/get-me';
import { useAgents } from '../api/get-agents';
import { useMonitorableCalls } from '../api/get-monitorable-calls';
import { usePauseReasons } from '../api/get-pause-reasons';
import { ForceStateControls, MonitorButtons } from '../components/agent-actions';

const stateTone: Record<string, BadgeTone> = {
  idle: 'green',
  on_call: 'blue',
  paused: 'amber',
  wrapup: 'indigo',
  logged_out: 'gray',
};
const stateLabel: Record<string, string> = {
  idle: 'Idle',
  on_call: 'On a call',
  paused: 'Paused',
  wrapup: 'Wrap-up',
  logged_out: 'Logged out',
};

export function AgentsPage() {
  const { data: user } = useCurrentUser();
  const agents = useAgents();
  const rows = agents.data ?? [];
  const calls = useMonitorableCalls();
  const reasons = usePauseReasons();
  const callOf = (userId: number) => calls.data?.find((c) => c.agentUserId === userId);
  return (
    <div>
      <PageHeader
        title="Agents"
        description="Every agent and supervisor with their current state. Listen, whisper or barge on a call (your own phone rings), or set an agent ready or paused."
      />
      {agents.isError ? <Alert tone="error">{errorMessage(agents.error)}</Alert> : null}
      <Table
        caption="Agents"
        head={
          <>
            <Th>Name</Th>
            <Th>Agent ID</Th>
            <Th>Role</Th>
            <Th>Extension</Th>
            <Th>State</Th>
            <Th>Since</Th>
            <Th>Call</Th>
            <Th>State actions</Th>
          </>
        }
      >
        {agents.isPending ? (
          <EmptyRow colSpan={8}>Loading…</EmptyRow>
        ) : rows.length === 0 ? (
          <EmptyRow colSpan={8}>No agents yet.</EmptyRow>
        ) : (
          rows.map((a) => (
            <tr key={a.id} data-testid="agent-row">
              <Td className="font-medium text-slate-900">{a.displayName}</Td>
              <Td className="tabular-nums">{a.agentId ?? '—'}</Td>
              <Td className="capitalize">{a.role}</Td>
              <Td>
                {a.extension ? `${a.extension.number} (${a.extension.type === 'web' ? 'web' : 'SIP'})` : '—'}
              </Td>
              <Td>
                <Badge tone={stateTone[a.state.status] ?? 'gray'}>
                  {stateLabel[a.state.status] ?? a.state.status}
                </Badge>
                {a.state.reason ? (
                  <span className="ml-2 text-xs text-slate-500">{a.state.reason}</span>
                ) : null}
              </Td>
              <Td className="tabular-nums text-slate-500">
                {a.state.since ? formatDateTime(a.state.since, user?.timeZone ?? browserTimeZone()) : '—'}
              </Td>
              <Td>
                {(() => {
                  const call = callOf(a.id);
                  return call ? <MonitorButtons call={call} /> : <span className="text-slate-400">—</span>;
                })()}
              </Td>
              <Td>
                <ForceStateControls userId={a.id} status={a.state.status} reasons={reasons.data ?? []} />
              </Td>
            </tr>
          ))
        )}
      </Table>
    </div>
  );
}
