import { type FlowComponent, type FlowPrompt, flowComponentSettingsSchemas } from '@switchboard/shared';
import { SelectField } from '../../../components/select-field';
import { TextField } from '../../../components/text-field';
import { PromptList } from './prompt-list';

export type Settings = Record<string, unknown>;

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

export const num = (v: string) => (v.trim() === '' ? Number.NaN : Number(v));
const orNull = (v: string) => (v.trim() === '' ? null : v.trim());

/** What a component's settings fields are drawn with. */
export interface SettingsFieldProps {
  c: FlowComponent;
  prompts: string[];
  queues: Array<{ id: number; name: string }>;
  services: Array<{ id: number; name: string }>;
  disabled: boolean;
  set: (patch: Settings) => void;
}

/**
 * The settings (`s`), their problems, and the common fields bound to one setting each: text,
 * number, a select of fixed options, and a prompt list.
 */
export function settingsFieldKit({ c, prompts, disabled, set }: SettingsFieldProps) {
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
  return { s, errors, text, number, select, promptList };
}
