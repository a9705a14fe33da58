import type { FlowPrompt } from '@switchboard/shared';
import { Button } from '../../../components/button';
import { SoundPicker } from '../../../components/sound-picker';

/** A prompt select's value (`sound:<id>` or a built-in prompt's name) as a flow prompt. */
const promptOf = (v: string): FlowPrompt =>
  /^sound:\d+$/.test(v) ? { sound: Number(v.slice(6)) } : { prompt: v };

/** An ordered list of prompts (built-in or uploaded sounds): change, remove, add. */
export function PromptList({
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
