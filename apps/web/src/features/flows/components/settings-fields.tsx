import { SelectField } from '../../../components/select-field';
import { TextField } from '../../../components/text-field';
import { JsonField } from './json-field';
import { num, type SettingsFieldProps, settingsFieldKit } from './settings-field-kit';

function MenuSettings(props: SettingsFieldProps) {
  const { s, errors, number, promptList } = settingsFieldKit(props);
  const { disabled, set } = props;
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
}

function CollectSettings(props: SettingsFieldProps) {
  const { text, number, select, promptList } = settingsFieldKit(props);
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
}

function TimeConditionSettings(props: SettingsFieldProps) {
  const { s, errors, text } = settingsFieldKit(props);
  const { disabled, set } = props;
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
}

function QueueSettings(props: SettingsFieldProps) {
  const { s, errors, select } = settingsFieldKit(props);
  const { disabled, set, queues } = props;
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
}

function ConditionSettings(props: SettingsFieldProps) {
  const { s, errors, text, select } = settingsFieldKit(props);
  const { disabled, set } = props;
  const subject = s.subject as 'caller' | { variable: string } | undefined;
  return (
    <>
      <SelectField
        label="Compare"
        value={subject === 'caller' ? 'caller' : 'variable'}
        disabled={disabled}
        onChange={(e) => set({ subject: e.target.value === 'caller' ? 'caller' : { variable: 'digits' } })}
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

function CallbackSettings(props: SettingsFieldProps) {
  const { s, text, number, select } = settingsFieldKit(props);
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
}

function CallbackServiceSettings(props: SettingsFieldProps) {
  const { s, errors } = settingsFieldKit(props);
  const { disabled, set, services } = props;
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
        The caller is released and the service calls them back (its trigger, delay, security and dialogue).
      </p>
    </>
  );
}

/** The settings fields of the component's type. */
export function SettingsFields(props: SettingsFieldProps) {
  const { text, number, promptList } = settingsFieldKit(props);
  switch (props.c.type) {
    case 'play':
      return promptList('prompts', 'Prompts');
    case 'menu':
      return <MenuSettings {...props} />;
    case 'collect':
      return <CollectSettings {...props} />;
    case 'time_condition':
      return <TimeConditionSettings {...props} />;
    case 'queue':
      return <QueueSettings {...props} />;
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
    case 'condition':
      return <ConditionSettings {...props} />;
    case 'callback':
      return <CallbackSettings {...props} />;
    case 'callback_service':
      return <CallbackServiceSettings {...props} />;
    case 'hangup':
      return <p className="text-sm text-slate-500">Ends the call.</p>;
  }
}
