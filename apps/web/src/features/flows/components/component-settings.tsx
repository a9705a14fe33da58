import {
  exitLabel,
  type FlowComponent,
  type FlowDefinition,
  type FlowPrompt,
  flowComponentLabels,
  flowComponentSettingsSchemas,
  flowExitIsOptional,
  flowExitNames,
} from '@switchboard/shared';
import { useEffect, useState } from 'react';
import { Button } from '../../../components/button';
import { SelectField } from '../../../components/select-field';
import { SoundPicker } from '../../../components/sound-picker';
import { TextField } from '../../../components/text-field';
import { TextareaField } from '../../../components/textarea-field';

type Settings = Record<string, unknown>;

/** Each settings field's problem by its name, from the shared schema of the component's type. */
function settingsErrors(c: FlowComponent): Record<string, string> {
  const parsed = flowComponentSettingsSchemas[c.type].safeParse(c.settings);
  if (parsed.success) return {};
  const out: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? '_');
    out[key] ??= issue.message;
  }
  return out;
}

/** A prompt select's value (`sound:<id>` or a built-in prompt's name) as a flow prompt. */
const promptOf = (v: string): FlowPrompt =>
  /^sound:\d+$/.test(v) ? { sound: Number(v.slice(6)) } : { prompt: v };

const num = (v: string) => (v.trim() === '' ? Number.NaN : Number(v));
const orNull = (v: string) => (v.trim() === '' ? null : v.trim());

function PromptList({
  label,
  value,
  prompts,
  disabled,
  error,
  onChange,
}: {
  label: string;
  value: FlowPrompt[];
  prompts: string[];
  disabled: boolean;
  error?: string;
  onChange: (v: FlowPrompt[]) => void;
}) {
  return (
    <fieldset className="space-y-1.5">
      <legend className="text-sm font-medium text-slate-700">{label}</legend>
      {value.map((p, i) =>
        'prompt' in p || 'sound' in p ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: prompts are a plain ordered list
          <div key={i} className="flex items-end gap-1">
            <SoundPicker
              label={`${label} ${i + 1}`}
              className="flex-1"
              required
              value={'prompt' in p ? p.prompt : `sound:${p.sound}`}
              disabled={disabled}
              onChange={(v) => {
                if (v !== null) onChange(value.map((x, j) => (j === i ? promptOf(v) : x)));
              }}
            />
            {disabled ? null : (
              <Button
                variant="ghost"
                size="sm"
                aria-label={`Remove ${label.toLowerCase()} ${i + 1}`}
                onClick={() => onChange(value.filter((_, j) => j !== i))}
              >
                ✕
              </Button>
            )}
          </div>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: prompts are a plain ordered list
          <p key={i} className="text-sm text-slate-600">
            The digits of {'{'}
            {p.sayDigitsOf}
            {'}'}
          </p>
        ),
      )}
      {disabled ? null : (
        <Button
          variant="secondary"
          size="sm"
          onClick={() => onChange([...value, { prompt: prompts[0] ?? 'welcome' }])}
        >
          Add {label.toLowerCase().replace(/s$/, '')}
        </Button>
      )}
      {error ? <p className="text-sm text-red-600">{error}</p> : null}
    </fieldset>
  );
}

/** A JSON field (opening hours): edited as text, applied when it parses. */
function JsonField({
  label,
  value,
  disabled,
  error,
  onChange,
}: {
  label: string;
  value: unknown;
  disabled: boolean;
  error?: string;
  onChange: (v: unknown) => void;
}) {
  const [text, setText] = useState(JSON.stringify(value));
  const [bad, setBad] = useState<string | null>(null);
  useEffect(() => setText(JSON.stringify(value)), [value]);
  return (
    <TextareaField
      label={label}
      value={text}
      disabled={disabled}
      error={bad ?? error}
      hint='e.g. [{"days":[1,2,3,4,5],"from":"09:00","to":"17:00"}] (0 = Sunday)'
      onChange={(e) => {
        setText(e.target.value);
        try {
          onChange(JSON.parse(e.target.value));
          setBad(null);
        } catch {
          setBad('Not valid JSON yet');
        }
      }}
    />
  );
}

function SettingsFields({
  c,
  prompts,
  queues,
  services,
  disabled,
  set,
}: {
  c: FlowComponent;
  prompts: string[];
  queues: Array<{ id: number; name: string }>;
  services: Array<{ id: number; name: string }>;
  disabled: boolean;
  set: (patch: Settings) => void;
}) {
  const s = c.settings as Settings;
  const errors = settingsErrors(c);
  const text = (key: string, label: string, opts: { nullable?: boolean; hint?: string } = {}) => (
    <TextField
      label={label}
      value={(s[key] as string | null | undefined) ?? ''}
      disabled={disabled}
      error={errors[key]}
      hint={opts.hint}
      onChange={(e) => set({ [key]: opts.nullable ? orNull(e.target.value) : e.target.value })}
    />
  );
  const number = (key: string, label: string) => (
    <TextField
      label={label}
      type="number"
      value={Number.isFinite(s[key] as number) ? String(s[key]) : ''}
      disabled={disabled}
      error={errors[key]}
      onChange={(e) => set({ [key]: num(e.target.value) })}
    />
  );
  const select = (key: string, label: string, options: Array<[string, string]>) => (
    <SelectField
      label={label}
      value={String(s[key] ?? '')}
      disabled={disabled}
      error={errors[key]}
      onChange={(e) => set({ [key]: e.target.value === '' ? null : e.target.value })}
    >
      {options.map(([v, l]) => (
        <option key={v} value={v}>
          {l}
        </option>
      ))}
    </SelectField>
  );
  const promptList = (key: string, label: string) => (
    <PromptList
      label={label}
      value={(s[key] as FlowPrompt[] | undefined) ?? []}
      prompts={prompts}
      disabled={disabled}
      error={errors[key]}
      onChange={(v) => set({ [key]: v })}
    />
  );
  switch (c.type) {
    case 'play':
      return promptList('prompts', 'Prompts');
    case 'menu':
      return (
        <>
          {promptList('prompts', 'Prompts')}
          <TextField
            label="Keys offered"
            value={((s.choices as string[] | undefined) ?? []).join('')}
            disabled={disabled}
            error={errors.choices}
            hint="Each key once, e.g. 123"
            onChange={(e) => set({ choices: [...e.target.value.replace(/\s/g, '')] })}
          />
          {number('timeoutS', 'Timeout (s)')}
          {number('attempts', 'Attempts')}
          {promptList('retryPrompts', 'Retry prompts')}
        </>
      );
    case 'collect':
      return (
        <>
          {promptList('prompts', 'Prompts')}
          {text('variable', 'Variable')}
          {number('maxDigits', 'Max digits')}
          {select('terminator', 'Terminator', [
            ['#', '#'],
            ['*', '*'],
            ['', 'None'],
          ])}
          {number('firstDigitTimeoutS', 'First digit timeout (s)')}
          {number('interDigitTimeoutS', 'Inter-digit timeout (s)')}
        </>
      );
    case 'time_condition':
      return (
        <>
          {text('timeZone', 'Time zone', { hint: 'IANA name, e.g. Europe/Paris' })}
          <JsonField
            label="Opening hours"
            value={s.hours}
            disabled={disabled}
            error={errors.hours}
            onChange={(v) => set({ hours: v })}
          />
          <TextField
            label="Holidays"
            value={((s.holidays as string[] | undefined) ?? []).join(', ')}
            disabled={disabled}
            error={errors.holidays}
            hint="Dates as YYYY-MM-DD, separated by commas"
            onChange={(e) =>
              set({
                holidays: e.target.value
                  .split(',')
                  .map((d) => d.trim())
                  .filter(Boolean),
              })
            }
          />
        </>
      );
    case 'queue':
      return (
        <>
          <SelectField
            label="Queue"
            value={String(s.queueId ?? '')}
            disabled={disabled}
            error={errors.queueId}
            onChange={(e) => set({ queueId: Number(e.target.value) })}
          >
            <option value="0">Choose…</option>
            {queues.map((q) => (
              <option key={q.id} value={q.id}>
                {q.name}
              </option>
            ))}
          </SelectField>
          {select('priority', 'Priority', [
            ['normal', 'Normal'],
            ['high', 'High (head of the line)'],
          ])}
          <TextField
            label="Max wait (s)"
            type="number"
            value={typeof s.maxWaitS === 'number' && Number.isFinite(s.maxWaitS) ? String(s.maxWaitS) : ''}
            disabled={disabled}
            error={errors.maxWaitS}
            hint="Empty: the queue's own maximum wait. Wire the max wait exit to take the caller on from here."
            onChange={(e) => set({ maxWaitS: e.target.value.trim() === '' ? null : num(e.target.value) })}
          />
        </>
      );
    case 'extension':
      return (
        <>
          {text('extension', 'Extension')}
          {number('ringTimeoutS', 'Ring timeout (s)')}
        </>
      );
    case 'outside_number':
      return (
        <>
          {text('number', 'Number', { hint: '+ and the country code' })}
          {number('ringTimeoutS', 'Ring timeout (s)')}
        </>
      );
    case 'set_variable':
      return (
        <>
          {text('variable', 'Variable')}
          {text('value', 'Value', { hint: '{caller}, {called} and {other-variable} are replaced' })}
        </>
      );
    case 'set_caller_id':
      return (
        <>
          {text('number', 'Caller ID number')}
          {text('name', 'Caller ID name', { nullable: true })}
        </>
      );
    case 'condition': {
      const subject = s.subject as 'caller' | { variable: string } | undefined;
      return (
        <>
          <SelectField
            label="Compare"
            value={subject === 'caller' ? 'caller' : 'variable'}
            disabled={disabled}
            onChange={(e) =>
              set({ subject: e.target.value === 'caller' ? 'caller' : { variable: 'digits' } })
            }
          >
            <option value="caller">The caller's number</option>
            <option value="variable">A variable</option>
          </SelectField>
          {subject && subject !== 'caller' ? (
            <TextField
              label="Variable"
              value={subject.variable}
              disabled={disabled}
              error={errors.subject}
              onChange={(e) => set({ subject: { variable: e.target.value } })}
            />
          ) : null}
          {select('operator', 'Test', [
            ['equals', 'equals'],
            ['starts_with', 'starts with'],
            ['is_empty', 'is empty'],
          ])}
          {s.operator === 'is_empty' ? null : text('value', 'Value')}
        </>
      );
    }
    case 'callback':
      return (
        <>
          {select('method', 'Method', [
            ['caller', 'Call to caller'],
            ['number', 'Call to number'],
            ['extension', 'Call extension'],
          ])}
          {s.method === 'number' ? text('number', 'Number', { nullable: true }) : null}
          {s.method === 'extension' ? text('extension', 'Extension', { nullable: true }) : null}
          {text('callerId', 'Caller ID', { nullable: true, hint: 'Empty: the number the caller dialled' })}
          {number('delayS', 'Delay (s)')}
          {number('timeoutS', 'Digit timeout (s)')}
          {number('ringTimeoutS', 'Ring timeout (s)')}
        </>
      );
    case 'callback_service':
      return (
        <>
          <SelectField
            label="Callback service"
            value={String(s.serviceId ?? '')}
            disabled={disabled}
            error={errors.serviceId}
            onChange={(e) => set({ serviceId: Number(e.target.value) })}
          >
            <option value="">Choose…</option>
            {services.some((x) => x.id === s.serviceId) || s.serviceId === undefined ? null : (
              <option value={String(s.serviceId)}>Service #{String(s.serviceId)}</option>
            )}
            {services.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </SelectField>
          <p className="text-sm text-slate-500">
            The caller is released and the service calls them back (its trigger, delay, security and
            dialogue).
          </p>
        </>
      );
    case 'hangup':
      return <p className="text-sm text-slate-500">Ends the call.</p>;
  }
}

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
