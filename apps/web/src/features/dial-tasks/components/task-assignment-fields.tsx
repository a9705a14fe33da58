import { SelectField } from '../../../components/select-field';
import { TextField } from '../../../components/text-field';
import { TextareaField } from '../../../components/textarea-field';
import type { AgentSummary } from '../../../lib/use-agents';
import type { TaskForm } from '../hooks/use-task-form';

/** Who works the task and when: the agent, the start and end date, and a note for them. */
export function TaskAssignmentFields({ form, agents }: { form: TaskForm; agents: AgentSummary[] }) {
  const { agent, setAgent, start, setStart, end, setEnd, note, setNote, errors, clear } = form;
  return (
    <>
      <SelectField
        label="Agent"
        value={agent}
        onChange={(e) => {
          setAgent(e.target.value);
          clear('assignedUserId');
        }}
        error={errors.assignedUserId}
      >
        <option value="">Choose an agent…</option>
        {agents.map((a) => (
          <option key={a.id} value={a.id}>
            {a.displayName}
            {a.agentId ? ` (${a.agentId})` : ''}
          </option>
        ))}
      </SelectField>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          label="Start date"
          type="date"
          value={start}
          onChange={(e) => {
            setStart(e.target.value);
            clear('startAt');
          }}
          error={errors.startAt}
        />
        <TextField
          label="End date"
          type="date"
          value={end}
          onChange={(e) => {
            setEnd(e.target.value);
            clear('endAt');
          }}
          error={errors.endAt}
        />
      </div>
      <TextareaField
        label="Note (optional)"
        rows={2}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        error={errors.note}
      />
    </>
  );
}
