import type { DialTaskResult } from '@switchboard/shared';
import { useState } from 'react';
import { Button } from '../../../components/button';
import { errorMessage } from '../../../lib/field-errors';
import type { LiveEventOf } from '../../../lib/live-events/live-events-client';
import { useLiveEvent } from '../../../lib/live-events/live-events-provider';
import { useSetTaskResult } from '../api/set-task-result';
import { TaskResultSelect } from './task-result-select';

type CampaignCall = LiveEventOf<'campaign_call'>;

/**
 * Under the call bar: the progressive or predictive campaign call the dialer rang this agent for
 * (docs/dialer.md, "The desk"), with its result. It stays after the call, until the agent closes it
 * or the next campaign call replaces it, so the result can be set once the customer has gone.
 */
export function CampaignCallBar() {
  const [call, setCall] = useState<CampaignCall | null>(null);
  useLiveEvent('campaign_call', (e) => setCall(e));
  if (!call) return null;
  return <CampaignCallResult key={call.callId} call={call} onClose={() => setCall(null)} />;
}

function CampaignCallResult({ call, onClose }: { call: CampaignCall; onClose: () => void }) {
  const save = useSetTaskResult();
  const [result, setResult] = useState<DialTaskResult | null>(null);
  const who = call.customerName ?? call.number ?? 'the customer';
  return (
    <section
      aria-label="Campaign call"
      data-testid="campaign-call-bar"
      className="flex flex-wrap items-center gap-3 border-sky-200 border-b bg-sky-50 px-6 py-2 text-sm"
    >
      <p className="text-sky-900">
        <span className="font-semibold">Campaign · {call.campaignName}</span> · {who}
        {call.customerName && call.number ? <span className="text-sky-700"> {call.number}</span> : null}
      </p>
      <TaskResultSelect
        label="Result"
        value={result ?? 'pending'}
        disabled={save.isPending}
        onChange={(value) => {
          setResult(value);
          save.mutate({ campaignId: call.campaignId, taskId: call.taskId, result: value });
        }}
      />
      {save.isSuccess && result ? <span className="text-emerald-800">Saved</span> : null}
      {save.isError ? (
        <span role="alert" className="text-red-700">
          {errorMessage(save.error)}
        </span>
      ) : null}
      <Button size="sm" variant="secondary" className="ml-auto" onClick={onClose}>
        Close
      </Button>
    </section>
  );
}
