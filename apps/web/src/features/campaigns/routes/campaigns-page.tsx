import {
  type Campaign,
  type CampaignState,
  campaignModeLabels,
  dialTaskResultLabels,
} from '@switchboard/shared';
import { lazy, Suspense, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Badge, type BadgeTone } from '../../../components/badge';
import { Button } from '../../../components/button';
import { PageHeader } from '../../../components/page-header';
import { EmptyRow, Table, Td, Th } from '../../../components/table';
import { errorMessage } from '../../../lib/field-errors';
import { useCurrentUser } from '../../auth/api/get-me';
import { useCampaignLastHour } from '../api/get-campaign-last-hour';
import { useCampaignTasks } from '../api/get-campaign-tasks';
import { useCampaigns } from '../api/get-campaigns';
import { useSetCampaignState } from '../api/set-campaign-state';
import { AddTasksDialog } from '../components/add-tasks-dialog';
import { CampaignFormDialog } from '../components/campaign-form-dialog';

// The chart library loads only when a campaign is opened, out of the desk's first-load JS.
const LastHourChart = lazy(() => import('../components/campaign-last-hour-chart'));

const stateTones: Record<CampaignState, BadgeTone> = {
  draft: 'gray',
  running: 'green',
  paused: 'amber',
  finished: 'blue',
};

/** Supervisors' campaigns: create, add dial tasks, start and pause, and the live figures of each. */
export function CampaignsPage() {
  const campaigns = useCampaigns();
  const setState = useSetCampaignState();
  const [creating, setCreating] = useState(false);
  const [adding, setAdding] = useState<Campaign | null>(null);
  const [editing, setEditing] = useState<Campaign | null>(null);
  const [shown, setShown] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <div>
      <PageHeader
        title="Campaigns"
        description="Dial tasks worked by the agents who join: preview (the agent presses Call), progressive (dialled when an agent is idle) or predictive (dialled ahead of free agents under an abandon cap)."
        actions={<Button onClick={() => setCreating(true)}>New campaign</Button>}
      />
      <div className="mb-4 space-y-2">
        {notice ? <Alert tone="success">{notice}</Alert> : null}
        {setState.isError ? <Alert tone="error">{errorMessage(setState.error)}</Alert> : null}
      </div>
      <Table
        caption="Campaigns"
        head={
          <>
            <Th>Name</Th>
            <Th>Mode</Th>
            <Th>State</Th>
            <Th className="text-right">Dialled</Th>
            <Th className="text-right">Answered</Th>
            <Th className="text-right">Abandoned</Th>
            <Th className="text-right">Remaining</Th>
            <Th className="text-right">Agents</Th>
            <Th>Actions</Th>
          </>
        }
      >
        {campaigns.isPending ? (
          <EmptyRow colSpan={9}>Loading…</EmptyRow>
        ) : campaigns.isError ? (
          <EmptyRow colSpan={9}>{errorMessage(campaigns.error)}</EmptyRow>
        ) : campaigns.data.length === 0 ? (
          <EmptyRow colSpan={9}>No campaigns yet.</EmptyRow>
        ) : (
          campaigns.data.map((c) => (
            <tr key={c.id} data-testid={`campaign-${c.id}`}>
              <Td className="font-medium">
                <button
                  type="button"
                  className="underline"
                  onClick={() => setShown(shown === c.id ? null : c.id)}
                >
                  {c.name}
                </button>
              </Td>
              <Td>{campaignModeLabels[c.mode]}</Td>
              <Td>
                <Badge tone={stateTones[c.state]}>{c.state}</Badge>
              </Td>
              <Td className="text-right" data-testid="dialled">
                {c.stats.dialled}
              </Td>
              <Td className="text-right" data-testid="answered">
                {c.stats.answered}
              </Td>
              <Td className="text-right" data-testid="abandoned">
                {c.stats.abandoned}
                {c.stats.abandonRate !== null ? (
                  <span className="text-slate-500"> ({c.stats.abandonRate} % today)</span>
                ) : null}
              </Td>
              <Td className="text-right" data-testid="remaining">
                {c.stats.remaining}
              </Td>
              <Td className="text-right">{c.stats.agents}</Td>
              <Td className="space-x-2 whitespace-nowrap">
                <Button size="sm" variant="secondary" onClick={() => setEditing(c)}>
                  Edit
                </Button>
                <Button size="sm" variant="secondary" onClick={() => setAdding(c)}>
                  Add tasks
                </Button>
                {c.state === 'running' ? (
                  <Button
                    size="sm"
                    variant="secondary"
                    onClick={() => setState.mutate({ id: c.id, action: 'pause' })}
                  >
                    Pause
                  </Button>
                ) : c.state === 'finished' ? null : (
                  <Button size="sm" onClick={() => setState.mutate({ id: c.id, action: 'start' })}>
                    Start
                  </Button>
                )}
              </Td>
            </tr>
          ))
        )}
      </Table>
      {shown !== null ? <CampaignTasks id={shown} /> : null}
      <CampaignFormDialog open={creating} onClose={() => setCreating(false)} onSaved={setNotice} />
      <CampaignFormDialog
        open={editing !== null}
        campaign={editing}
        onClose={() => setEditing(null)}
        onSaved={setNotice}
      />
      <AddTasksDialog campaign={adding} onClose={() => setAdding(null)} onSaved={setNotice} />
    </div>
  );
}

/** One campaign's last hour and its tasks: where each stands, its dials and last outcome. */
function CampaignTasks({ id }: { id: number }) {
  const tasks = useCampaignTasks(id, { page: 1, limit: 100 });
  return (
    <div className="mt-6">
      <CampaignLastHour id={id} />
      <Table
        caption="Campaign tasks"
        head={
          <>
            <Th>Customer</Th>
            <Th>Number</Th>
            <Th>Status</Th>
            <Th className="text-right">Dials</Th>
            <Th>Last outcome</Th>
            <Th>Result</Th>
            <Th>Agent</Th>
          </>
        }
      >
        {!tasks.data || tasks.data.tasks.length === 0 ? (
          <EmptyRow colSpan={7}>{tasks.isPending ? 'Loading…' : 'No tasks in this campaign.'}</EmptyRow>
        ) : (
          tasks.data.tasks.map((t) => (
            <tr key={t.id}>
              <Td>{t.customer?.name ?? '—'}</Td>
              <Td>{t.number}</Td>
              <Td>{t.status}</Td>
              <Td className="text-right">{t.attempts}</Td>
              <Td>{t.outcome ?? '—'}</Td>
              <Td>{dialTaskResultLabels[t.result]}</Td>
              <Td>{t.agent?.displayName ?? '—'}</Td>
            </tr>
          ))
        )}
      </Table>
    </div>
  );
}

function CampaignLastHour({ id }: { id: number }) {
  const lastHour = useCampaignLastHour(id);
  const { data: me } = useCurrentUser();
  return (
    <section aria-label="Last hour" className="mb-6 rounded-lg border border-slate-200 bg-white p-4">
      <h2 className="mb-2 text-sm font-semibold text-slate-800">Last hour</h2>
      {lastHour.isError ? (
        <Alert tone="error">{errorMessage(lastHour.error)}</Alert>
      ) : lastHour.data && me ? (
        <div className="h-48" data-testid="campaign-last-hour">
          <p className="sr-only">{dialsInWords(lastHour.data.buckets.reduce((n, b) => n + b.dialled, 0))}</p>
          <Suspense fallback={<p className="text-slate-500 text-sm">Loading the chart…</p>}>
            <LastHourChart data={lastHour.data} timeZone={me.timeZone} />
          </Suspense>
        </div>
      ) : (
        <p className="text-slate-500 text-sm">Loading…</p>
      )}
    </section>
  );
}

const dialsInWords = (n: number) => `${n} ${n === 1 ? 'dial' : 'dials'} in the last hour`;
