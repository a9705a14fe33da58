import { useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { Card } from '../../../components/card';
import { SelectField } from '../../../components/select-field';
import { TextField } from '../../../components/text-field';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { useDispositions } from '../api/get-dispositions';
import { useSaveDispositionCode } from '../api/save-disposition-code';
import { useSetDispositionRequired } from '../api/set-disposition-required';

/**
 * Disposition codes agents pick at wrap-up: for every queue or one queue; retired codes keep their
 * name on past calls. Per queue, whether a code is required before the agent takes calls again.
 */
export function DispositionsCard() {
  const settings = useDispositions();
  const save = useSaveDispositionCode();
  const setRequired = useSetDispositionRequired();
  const [name, setName] = useState('');
  const [scope, setScope] = useState('');
  const errors = fieldErrorsOf(save.error);
  const queues = settings.data?.queues ?? [];
  const scopeName = (queueId: number | null) =>
    queueId === null
      ? 'All queues'
      : (queues.find((q) => q.queueId === queueId)?.queueName ?? String(queueId));
  return (
    <Card title="Wrap-up dispositions">
      {settings.isError ? <Alert tone="error">{errorMessage(settings.error)}</Alert> : null}
      <ul className="divide-y divide-slate-100 text-sm" aria-label="Disposition codes">
        {(settings.data?.codes ?? []).map((code) => (
          <li key={code.id} className="flex items-center justify-between gap-2 py-2">
            <span className={code.active ? '' : 'text-slate-400 line-through'}>{code.name}</span>
            <span className="flex-1 text-right text-xs text-slate-500">{scopeName(code.queueId)}</span>
            <Button variant="ghost" onClick={() => save.mutate({ id: code.id, active: !code.active })}>
              {code.active ? 'Retire' : 'Restore'}
            </Button>
          </li>
        ))}
        {settings.data && settings.data.codes.length === 0 ? (
          <li className="py-2 text-slate-500">No codes yet: agents wrap up with a note only.</li>
        ) : null}
      </ul>
      <form
        className="mt-3 grid gap-2 sm:grid-cols-[1fr_10rem_auto] sm:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ name, queueId: scope ? Number(scope) : null }, { onSuccess: () => setName('') });
        }}
      >
        <TextField
          label="New code"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.name ?? (save.isError && !errors.name ? errorMessage(save.error) : null)}
        />
        <SelectField label="For" value={scope} onChange={(e) => setScope(e.target.value)}>
          <option value="">All queues</option>
          {queues.map((q) => (
            <option key={q.queueId} value={q.queueId}>
              {q.queueName}
            </option>
          ))}
        </SelectField>
        <Button type="submit" variant="secondary">
          Add
        </Button>
      </form>
      <fieldset className="mt-4">
        <legend className="text-sm font-medium text-slate-700">A code is required after calls from</legend>
        <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
          {queues.map((q) => (
            <label key={q.queueId} className="flex items-center gap-1.5 text-sm">
              <input
                type="checkbox"
                checked={q.required}
                disabled={setRequired.isPending}
                onChange={(e) => setRequired.mutate({ queueId: q.queueId, required: e.target.checked })}
              />
              {q.queueName}
            </label>
          ))}
        </div>
      </fieldset>
      {setRequired.isError ? (
        <div className="mt-2">
          <Alert tone="error">{errorMessage(setRequired.error)}</Alert>
        </div>
      ) : null}
    </Card>
  );
}
