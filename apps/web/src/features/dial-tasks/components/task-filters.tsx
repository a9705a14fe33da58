import { type DialTaskResult, dialTaskResultLabels, dialTaskResults } from '@switchboard/shared';
import { SelectField } from '../../../components/select-field';
import type { AgentSummary } from '../../../lib/use-agents';

/** The task list's filters: the agent (for supervisors) and the result. */
export function TaskFilters({
  supervisor,
  agents,
  assignee,
  onAssignee,
  result,
  onResult,
}: {
  supervisor: boolean;
  agents: AgentSummary[];
  assignee: string;
  onAssignee: (assignee: string) => void;
  result: DialTaskResult | '';
  onResult: (result: DialTaskResult | '') => void;
}) {
  return (
    <div className="mb-4 flex flex-wrap items-end gap-4">
      {supervisor ? (
        <SelectField
          className="w-48"
          label="Agent"
          value={assignee}
          onChange={(e) => onAssignee(e.target.value)}
        >
          <option value="">All agents</option>
          {agents.map((a) => (
            <option key={a.id} value={a.id}>
              {a.displayName}
            </option>
          ))}
        </SelectField>
      ) : null}
      <SelectField
        className="w-52"
        label="Result"
        value={result}
        onChange={(e) => onResult(e.target.value as DialTaskResult | '')}
      >
        <option value="">Any result</option>
        {dialTaskResults.map((r) => (
          <option key={r} value={r}>
            {dialTaskResultLabels[r]}
          </option>
        ))}
      </SelectField>
    </div>
  );
}
