import type { CampaignMode } from '@switchboard/shared';
import { type FormEvent, useEffect, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { SelectField } from '../../../components/select-field';
import { TextField } from '../../../components/text-field';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { useAgents } from '../../../lib/use-agents';
import { useCreateCampaign } from '../api/create-campaign';
import { useCampaignQueueChoices } from '../api/get-queue-choices';

/** A supervisor creates a campaign: name, mode, who works it (a queue and/or agents), caller ID, dials. */
export function CampaignFormDialog({
  open,
  onClose,
  onSaved,
}: {
  open: boolean;
  onClose: () => void;
  onSaved: (message: string) => void;
}) {
  const create = useCreateCampaign();
  const agents = useAgents(open);
  const queues = useCampaignQueueChoices();
  const [name, setName] = useState('');
  const [mode, setMode] = useState<CampaignMode>('preview');
  const [queueId, setQueueId] = useState('');
  const [agentIds, setAgentIds] = useState<number[]>([]);
  const [callerId, setCallerId] = useState('');
  const [maxAttempts, setMaxAttempts] = useState('3');
  const [hoursFrom, setHoursFrom] = useState('');
  const [hoursTo, setHoursTo] = useState('');
  const [abandonCap, setAbandonCap] = useState('3');
  const [abandonPrompt, setAbandonPrompt] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset the form each time it opens
  useEffect(() => {
    if (!open) return;
    setName('');
    setMode('preview');
    setQueueId('');
    setAgentIds([]);
    setCallerId('');
    setMaxAttempts('3');
    setHoursFrom('');
    setHoursTo('');
    setAbandonCap('3');
    setAbandonPrompt('');
    setErrors({});
    create.reset();
  }, [open]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!name.trim()) local.name = 'Enter a name';
    if (!queueId && agentIds.length === 0) local.agentIds = 'Choose a queue or at least one agent';
    if (Boolean(hoursFrom) !== Boolean(hoursTo))
      local.callingHours = 'Give both times, or neither for the policy’s';
    setErrors(local);
    if (Object.keys(local).length) return;
    create.mutate(
      {
        name,
        mode,
        queueId: queueId ? Number(queueId) : null,
        agentIds,
        callerId: callerId.trim() || null,
        maxAttempts: Number(maxAttempts),
        callingHours: hoursFrom && hoursTo ? { from: hoursFrom, to: hoursTo } : null,
        ...(mode === 'predictive'
          ? { abandonCapPercent: Number(abandonCap), abandonPrompt: abandonPrompt.trim() || null }
          : {}),
      },
      {
        onSuccess: (res) => {
          onSaved(`Campaign “${res.campaign.name}” created. Add dial tasks, then start it.`);
          onClose();
        },
        onError: (err) => setErrors(fieldErrorsOf(err)),
      },
    );
  };

  return (
    <Dialog
      open={open}
      title="New campaign"
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="campaign-form" disabled={create.isPending}>
            Create
          </Button>
        </>
      }
    >
      <form id="campaign-form" onSubmit={submit} noValidate className="space-y-4">
        {create.isError && !Object.keys(errors).length ? (
          <Alert tone="error">{errorMessage(create.error)}</Alert>
        ) : null}
        <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} />
        <SelectField
          label="Mode"
          value={mode}
          onChange={(e) => setMode(e.target.value as CampaignMode)}
          hint={
            mode === 'preview'
              ? 'The agent sees the next task and presses Call.'
              : mode === 'progressive'
                ? 'The next number is dialled as soon as an agent of the campaign is idle.'
                : 'Several numbers are dialled per free agent, by the answer rate, under the abandon cap.'
          }
        >
          <option value="preview">Preview</option>
          <option value="progressive">Progressive</option>
          <option value="predictive">Predictive</option>
        </SelectField>
        {mode === 'predictive' ? (
          <div className="grid grid-cols-2 gap-3">
            <TextField
              label="Abandon cap (%)"
              type="number"
              min={0}
              max={50}
              step="0.1"
              value={abandonCap}
              onChange={(e) => setAbandonCap(e.target.value)}
              hint="Today's abandoned customers per answered one; at the cap, one call per agent."
              error={errors.abandonCapPercent}
            />
            <TextField
              label="Abandon message"
              value={abandonPrompt}
              onChange={(e) => setAbandonPrompt(e.target.value)}
              hint="A prompt name or sound:<id>; empty: “all our agents are busy”."
              error={errors.abandonPrompt}
            />
          </div>
        ) : null}
        <SelectField
          label="Queue"
          value={queueId}
          onChange={(e) => setQueueId(e.target.value)}
          error={errors.queueId}
        >
          <option value="">No queue (the agents below)</option>
          {(queues.data ?? []).map((q) => (
            <option key={q.id} value={q.id}>
              {q.name}
            </option>
          ))}
        </SelectField>
        <fieldset>
          <legend className="text-sm font-medium text-slate-700">Agents</legend>
          <div className="mt-1 grid max-h-40 grid-cols-2 gap-1 overflow-y-auto">
            {(agents.data ?? []).map((a) => (
              <label key={a.id} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  checked={agentIds.includes(a.id)}
                  onChange={(e) =>
                    setAgentIds((ids) =>
                      e.target.checked ? [...ids, a.id] : ids.filter((id) => id !== a.id),
                    )
                  }
                />
                {a.displayName}
              </label>
            ))}
          </div>
          {errors.agentIds ? <p className="mt-1 text-sm text-red-700">{errors.agentIds}</p> : null}
        </fieldset>
        <TextField
          label="Caller ID"
          value={callerId}
          onChange={(e) => setCallerId(e.target.value)}
          hint="The number customers see; empty: the queue's, else the dialing policy's."
          error={errors.callerId}
        />
        <TextField
          label="Dials per task"
          type="number"
          min={1}
          max={20}
          value={maxAttempts}
          onChange={(e) => setMaxAttempts(e.target.value)}
          error={errors.maxAttempts}
        />
        <div className="grid grid-cols-2 gap-3">
          <TextField
            label="Calling hours from"
            type="time"
            value={hoursFrom}
            onChange={(e) => setHoursFrom(e.target.value)}
            error={errors.callingHours ?? errors['callingHours.from']}
            hint="The customer's local time; empty: the dialing policy's. Equal times: all day."
          />
          <TextField
            label="Calling hours to"
            type="time"
            value={hoursTo}
            onChange={(e) => setHoursTo(e.target.value)}
            error={errors['callingHours.to']}
          />
        </div>
      </form>
    </Dialog>
  );
}
