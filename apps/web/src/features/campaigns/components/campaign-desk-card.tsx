import { type Campaign, campaignModeLabels, type DialTaskResult } from '@switchboard/shared';
import { useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { Card } from '../../../components/card';
import { errorMessage } from '../../../lib/field-errors';
import { useCallTask } from '../api/call-task';
import { useCampaigns } from '../api/get-campaigns';
import { useNextTask } from '../api/get-next-task';
import { useSetCampaignMembership } from '../api/set-campaign-membership';
import { useSetTaskResult } from '../api/set-task-result';
import { TaskResultSelect } from './task-result-select';

/**
 * The desk's campaigns: join and leave; in a running preview campaign, the next task with Call.
 * Progressive and predictive calls take their result in the campaign call bar.
 */
export function CampaignDeskCard() {
  const campaigns = useCampaigns();
  const membership = useSetCampaignMembership();
  const open = (campaigns.data ?? []).filter((c) => c.state !== 'finished');
  if (!open.length) return null;
  return (
    <Card title="Campaigns" className="min-w-0">
      {membership.isError ? <Alert tone="error">{errorMessage(membership.error)}</Alert> : null}
      <ul className="space-y-3">
        {open.map((c) => (
          <li key={c.id} data-testid={`desk-campaign-${c.id}`} className="text-sm">
            <div className="flex items-center justify-between gap-2">
              <span>
                <span className="font-medium">{c.name}</span>{' '}
                <span className="text-slate-500">
                  {campaignModeLabels[c.mode]} · {c.state} · {c.stats.remaining} left
                </span>
              </span>
              <Button
                size="sm"
                variant={c.joined ? 'secondary' : 'primary'}
                disabled={membership.isPending}
                onClick={() => membership.mutate({ id: c.id, join: !c.joined })}
              >
                {c.joined ? 'Leave' : 'Join'}
              </Button>
            </div>
            {c.joined && c.mode === 'preview' && c.state === 'running' ? <PreviewTask campaign={c} /> : null}
          </li>
        ))}
      </ul>
    </Card>
  );
}

/** The task reserved to the agent: who to call and Call; then the result of the call just made. */
function PreviewTask({ campaign }: { campaign: Campaign }) {
  const next = useNextTask(campaign.id, true);
  const call = useCallTask();
  const result = useSetTaskResult();
  const [called, setCalled] = useState<{ id: number; label: string; result: DialTaskResult } | null>(null);
  const task = next.data;
  const resultPicker = called ? (
    <div className="mt-2">
      <TaskResultSelect
        label={`Result for ${called.label}`}
        value={called.result}
        onChange={(value) => {
          setCalled({ ...called, result: value });
          result.mutate({ campaignId: campaign.id, taskId: called.id, result: value });
        }}
      />
    </div>
  ) : null;
  if (next.isError) return <p className="mt-2 text-red-700">{errorMessage(next.error)}</p>;
  if (!task)
    return (
      <>
        {resultPicker}
        <p className="mt-2 text-slate-500">No task due now.</p>
      </>
    );
  return (
    <div className="mt-2 rounded-md bg-slate-50 p-2" data-testid="preview-task">
      <p>
        {/* The number once: beside the customer's name, or alone when the CRM has no name for it. */}
        <span className="font-medium">{task.customer?.name ?? task.number}</span>{' '}
        {task.customer?.name ? <span className="text-slate-500">{task.number}</span> : null}
      </p>
      {task.note ? <p className="text-slate-600">{task.note}</p> : null}
      {call.isError ? <p className="text-red-700">{errorMessage(call.error)}</p> : null}
      <div className="mt-2 flex items-center gap-2">
        <Button
          size="sm"
          disabled={task.status !== 'reserved' || call.isPending}
          onClick={() =>
            call.mutate(
              { campaignId: campaign.id, taskId: task.id },
              {
                onSuccess: () =>
                  setCalled({ id: task.id, label: task.customer?.name ?? task.number, result: task.result }),
              },
            )
          }
        >
          {task.status === 'dialling' ? 'Calling…' : 'Call'}
        </Button>
      </div>
      {resultPicker}
    </div>
  );
}
