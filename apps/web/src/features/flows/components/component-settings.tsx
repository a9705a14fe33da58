import {
  exitLabel,
  type FlowComponent,
  type FlowDefinition,
  flowComponentLabels,
  flowExitIsOptional,
  flowExitNames,
} from '@switchboard/shared';
import { Button } from '../../../components/button';
import { SelectField } from '../../../components/select-field';
import { TextField } from '../../../components/text-field';
import { SettingsFields } from './settings-fields';

/** The side panel: the selected component's name, settings and exits. */
export function ComponentSettings({
  component: c,
  definition,
  prompts,
  queues,
  services,
  readOnly,
  problems,
  onChange,
  onConnect,
  onStart,
  onDelete,
}: {
  component: FlowComponent;
  definition: FlowDefinition;
  prompts: string[];
  queues: Array<{ id: number; name: string }>;
  services: Array<{ id: number; name: string }>;
  readOnly: boolean;
  problems: string[];
  onChange: (c: FlowComponent) => void;
  onConnect: (exit: string, to: string | null) => void;
  onStart: () => void;
  onDelete: () => void;
}) {
  const exits = flowExitNames(c.type, c.settings);
  return (
    <div className="space-y-3" data-testid="component-settings">
      <div className="flex items-center justify-between">
        <h2 className="text-sm font-semibold text-slate-900">
          {flowComponentLabels[c.type]} <span className="font-mono text-xs text-slate-500">{c.id}</span>
        </h2>
        {definition.start === c.id ? (
          <span className="text-xs font-medium text-brand-700">Start</span>
        ) : readOnly ? null : (
          <Button variant="ghost" size="sm" onClick={onStart}>
            Start here
          </Button>
        )}
      </div>
      <TextField
        label="Name"
        value={c.label}
        disabled={readOnly}
        onChange={(e) => onChange({ ...c, label: e.target.value })}
      />
      <SettingsFields
        c={c}
        prompts={prompts}
        queues={queues}
        services={services}
        disabled={readOnly}
        set={(patch) => onChange({ ...c, settings: { ...c.settings, ...patch } })}
      />
      {exits.length > 0 ? (
        <fieldset className="space-y-1.5">
          <legend className="text-sm font-medium text-slate-700">Exits</legend>
          {exits.map((e) => (
            <SelectField
              key={e}
              label={`Exit ${exitLabel(e)} leads to`}
              value={c.exits[e] ?? ''}
              disabled={readOnly}
              onChange={(ev) => onConnect(e, ev.target.value || null)}
            >
              <option value="">
                {flowExitIsOptional(c.type, e) ? "The queue's own rule" : 'Nowhere yet'}
              </option>
              {definition.components
                .filter((x) => x.id !== c.id || c.type === 'menu')
                .map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.label || x.id}
                  </option>
                ))}
            </SelectField>
          ))}
        </fieldset>
      ) : null}
      {problems.length > 0 ? (
        <ul
          className="list-disc space-y-0.5 pl-5 text-sm text-red-700"
          aria-label="Problems of this component"
        >
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
      {readOnly ? null : (
        <Button variant="ghost-danger" size="sm" onClick={onDelete}>
          Delete component
        </Button>
      )}
    </div>
  );
}
