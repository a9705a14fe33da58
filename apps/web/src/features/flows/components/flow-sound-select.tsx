import { SelectField } from '../../../components/select-field';
import { useFlowPrompts } from '../api/get-flow-prompts';
import { useFlowSounds } from '../api/get-sounds';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * One prompt to play: a built-in prompt by name or an uploaded sound as `sound:<id>`. A value the
 * lists do not hold (a deleted sound, a supervisor who cannot list the library) stays shown as is.
 */
export function FlowSoundSelect({
  label,
  value,
  onChange,
  disabled = false,
  className,
}: {
  label: string;
  value: string | null;
  onChange: (v: string | null) => void;
  disabled?: boolean;
  className?: string;
}) {
  const prompts = useFlowPrompts().data ?? [];
  const sounds = useFlowSounds(!disabled).data ?? [];
  const known = value !== null && (prompts.includes(value) || sounds.some((s) => s.ref === value));
  return (
    <SelectField
      label={label}
      className={className}
      value={value ?? ''}
      disabled={disabled}
      onChange={(e) => onChange(e.target.value || null)}
    >
      {value === null ? <option value="">Choose a prompt or sound</option> : null}
      {value !== null && !known ? (
        <option value={value}>
          {value.startsWith('sound:') ? `Uploaded sound #${value.slice(6)}` : value}
          {disabled ? '' : ' (missing)'}
        </option>
      ) : null}
      <optgroup label="Built-in prompts">
        {prompts.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </optgroup>
      {sounds.length > 0 ? (
        <optgroup label="Uploaded sounds">
          {sounds.map((s) => (
            <option key={s.id} value={s.ref}>
              {s.folder ? `${s.folder}/` : ''}
              {s.name} ({seconds(s.durationMs)})
            </option>
          ))}
        </optgroup>
      ) : null}
    </SelectField>
  );
}
