import { type CampaignMode, campaignModeLabels, campaignModes } from '@switchboard/shared';
import { SelectField } from '../../../components/select-field';
import { TextField } from '../../../components/text-field';
import { useAgents } from '../../../lib/use-agents';
import { useCampaignQueueChoices } from '../api/get-queue-choices';

export interface CampaignFormValues {
  name: string;
  mode: CampaignMode;
  queueId: string;
  agentIds: number[];
  callerId: string;
  maxAttempts: string;
  hoursFrom: string;
  hoursTo: string;
  abandonCap: string;
  abandonPrompt: string;
}

interface FieldsProps {
  values: CampaignFormValues;
  onChange: (patch: Partial<CampaignFormValues>) => void;
  errors: Record<string, string>;
}

const modeHints: Record<CampaignMode, string> = {
  preview: 'The agent sees the next task and presses Call.',
  progressive: 'The next number is dialled as soon as an agent of the campaign is idle.',
  predictive: 'Several numbers are dialled per free agent, by the answer rate, under the abandon cap.',
};

/** The campaign form's fields. */
export function CampaignFields(props: FieldsProps & { open: boolean; modeLocked: boolean }) {
  const { values, onChange, errors, modeLocked } = props;
  return (
    <>
      <TextField
        label="Name"
        value={values.name}
        onChange={(e) => onChange({ name: e.target.value })}
        error={errors.name}
      />
      <SelectField
        label="Mode"
        value={values.mode}
        disabled={modeLocked}
        onChange={(e) => onChange({ mode: e.target.value as CampaignMode })}
        hint={modeLocked ? 'The mode cannot change while the campaign runs.' : modeHints[values.mode]}
        error={errors.mode}
      >
        {campaignModes.map((m) => (
          <option key={m} value={m}>
            {campaignModeLabels[m]}
          </option>
        ))}
      </SelectField>
      {values.mode === 'predictive' ? <PredictiveFields {...props} /> : null}
      <WorkerFields {...props} />
      <DialFields {...props} />
    </>
  );
}

function PredictiveFields({ values, onChange, errors }: FieldsProps) {
  return (
    <div className="grid grid-cols-2 gap-3">
      <TextField
        label="Abandon cap (%)"
        type="number"
        min={0}
        max={50}
        step="0.1"
        value={values.abandonCap}
        onChange={(e) => onChange({ abandonCap: e.target.value })}
        hint="Today's abandoned customers per answered one; at the cap, one call per agent."
        error={errors.abandonCapPercent}
      />
      <TextField
        label="Abandon message"
        value={values.abandonPrompt}
        onChange={(e) => onChange({ abandonPrompt: e.target.value })}
        hint="A prompt name or sound:<id>; empty: “all our agents are busy”."
        error={errors.abandonPrompt}
      />
    </div>
  );
}

/** Who works the campaign: a queue's members and/or the chosen agents. */
function WorkerFields({ values, onChange, errors, open }: FieldsProps & { open: boolean }) {
  const agents = useAgents(open);
  const queues = useCampaignQueueChoices();
  return (
    <>
      <SelectField
        label="Queue"
        value={values.queueId}
        onChange={(e) => onChange({ queueId: e.target.value })}
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
                checked={values.agentIds.includes(a.id)}
                onChange={(e) =>
                  onChange({
                    agentIds: e.target.checked
                      ? [...values.agentIds, a.id]
                      : values.agentIds.filter((id) => id !== a.id),
                  })
                }
              />
              {a.displayName}
            </label>
          ))}
        </div>
        {errors.agentIds ? <p className="mt-1 text-sm text-red-700">{errors.agentIds}</p> : null}
      </fieldset>
    </>
  );
}

function DialFields({ values, onChange, errors }: FieldsProps) {
  return (
    <>
      <TextField
        label="Caller ID"
        value={values.callerId}
        onChange={(e) => onChange({ callerId: e.target.value })}
        hint="The number customers see; empty: the queue's, else the dialing policy's."
        error={errors.callerId}
      />
      <TextField
        label="Dials per task"
        type="number"
        min={1}
        max={20}
        value={values.maxAttempts}
        onChange={(e) => onChange({ maxAttempts: e.target.value })}
        error={errors.maxAttempts}
      />
      <div className="grid grid-cols-2 gap-3">
        <TextField
          label="Calling hours from"
          type="time"
          value={values.hoursFrom}
          onChange={(e) => onChange({ hoursFrom: e.target.value })}
          error={errors.callingHours ?? errors['callingHours.from']}
          hint="The customer's local time; empty: the dialing policy's. Equal times: all day."
        />
        <TextField
          label="Calling hours to"
          type="time"
          value={values.hoursTo}
          onChange={(e) => onChange({ hoursTo: e.target.value })}
          error={errors['callingHours.to']}
        />
      </div>
    </>
  );
}
