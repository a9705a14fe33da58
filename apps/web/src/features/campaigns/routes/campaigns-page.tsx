import type { Campaign, CampaignMode, CampaignState } from '@switchboard/shared';
import { useState } from 'react';
import { Alert } from '../../../components/alert';
import { Badge, type BadgeTone } from '../../../components/badge';
import { Button } from '../../../components/button';
import { PageHeader } from '../../../components/page-header';
import { EmptyRow, Table, Td, Th } from '../../../components/table';
import { errorMessage } from '../../../lib/field-errors';
import { useCampaignTasks } from '../api/get-campaign-tasks';
import { useCampaigns } from '../api/get-campaigns';
import { useSetCampaignState } from '../api/set-campaign-state';
import { AddTasksDialog } from '../components/add-tasks-dialog';
import { CampaignFormDialog } from '../components/campaign-form-dialog';

const stateTones: Record<CampaignState, BadgeTone> = {
  draft: 'gray',
  running: 'green',
  paused: 'amber',
  finished: 'blue',
};

const modeLabels: Record<CampaignMode, string> = {
  preview: 'Preview',
  progressive: 'Progressive',
  predictive: 'Predictive',
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
              <Td>{modeLabels[c.mode]}</Td>
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

/** One campaign's tasks: where each stands, its dials and last outcome. */
function CampaignTasks({ id }: { id: number }) {
  const tasks = useCampaignTasks(id, { page: 1, limit: 100 });
  return (
    <div className="mt-6">
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
              <Td>{t.result}</Td>
              <Td>{t.agent?.displayName ?? '—'}</Td>
            </tr>
          ))
        )}
      </Table>
    </div>
  );
}
