import type { VirtualHoldMode } from '@switchboard/shared';
import type { ReactNode } from 'react';
import { Alert } from '../../../components/alert';
import { SelectField } from '../../../components/select-field';
import { TextField } from '../../../components/text-field';
import { useAdminQueues, useHoldMusicChoices } from '../api/get-queues';
import { useAdminUsers } from '../api/get-users';
import type { QueueForm } from '../lib/queue-form';

/** What every group of the queue dialog gets: the form, a patcher, the server's field errors. */
export type QueueFieldsProps = {
  f: QueueForm;
  set: (patch: Partial<QueueForm>) => void;
  errors: Record<string, string>;
};

const strategies = [
  ['longest-idle', 'Longest idle'],
  ['ring-all', 'Ring all'],
  ['round-robin', 'Round robin'],
  ['fewest-calls', 'Fewest calls'],
  ['random', 'Random'],
] as const;

function Group({ legend, children }: { legend: string; children: ReactNode }) {
  return (
    <fieldset className="col-span-2 grid grid-cols-2 gap-4 rounded-md border border-slate-200 p-4">
      <legend className="px-1 text-sm font-semibold text-slate-700">{legend}</legend>
      {children}
    </fieldset>
  );
}

/** A whole-number box of the form, its error keyed by the field's own name. */
function SecondsField({
  f,
  set,
  errors,
  field,
  label,
  hint,
}: QueueFieldsProps & { field: keyof QueueForm; label: string; hint?: string }) {
  return (
    <TextField
      label={label}
      type="number"
      min={0}
      value={f[field]}
      onChange={(e) => set({ [field]: e.target.value })}
      hint={hint}
      error={errors[field]}
    />
  );
}

/** How calls reach agents: strategy, ringing and the pauses around a call. */
export function QueueDeliveryFields(p: QueueFieldsProps) {
  const { f, set, errors } = p;
  return (
    <Group legend="Delivery">
      <SelectField
        label="Strategy"
        value={f.strategy}
        onChange={(e) => set({ strategy: e.target.value })}
        error={errors.strategy}
      >
        {strategies.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </SelectField>
      <SecondsField {...p} field="ringTimeoutS" label="Ring timeout (s)" hint="How long each agent rings" />
      <SecondsField
        {...p}
        field="retryDelayS"
        label="Retry delay (s)"
        hint="Pause before ringing again when nobody answered"
      />
      <SecondsField {...p} field="wrapupS" label="Wrap-up (s)" hint="After each call, before the next" />
      <SecondsField
        {...p}
        field="maxNoAnswer"
        label="Max no-answer"
        hint="Missed offers in a row before the agent is paused; 0 = never"
      />
    </Group>
  );
}

/** Where a caller goes after waiting too long: hang-up, another queue or an extension. */
function QueueOverflowFields({
  f,
  set,
  errors,
  queueId,
}: QueueFieldsProps & { queueId: number | undefined }) {
  const queues = useAdminQueues();
  const users = useAdminUsers();
  const otherQueues = (queues.data ?? []).filter((q) => q.id !== queueId);
  const extensions = (users.data ?? []).flatMap((u) =>
    u.extension ? [{ number: u.extension.number, owner: u.displayName }] : [],
  );
  return (
    <>
      <SelectField
        label="Overflow"
        value={f.overflowType}
        onChange={(e) =>
          set({ overflowType: e.target.value as QueueForm['overflowType'], overflowTarget: '' })
        }
        error={errors['overflow.type'] ?? errors.overflow}
      >
        <option value="">Not set (hang up with a message)</option>
        <option value="hangup">Hang up with a message</option>
        <option value="queue">Another queue</option>
        <option value="extension">An extension</option>
      </SelectField>
      {f.overflowType === 'queue' ? (
        <SelectField
          label="Overflow queue"
          value={f.overflowTarget}
          onChange={(e) => set({ overflowTarget: e.target.value })}
          error={errors['overflow.target']}
        >
          <option value="">Choose…</option>
          {otherQueues.map((q) => (
            <option key={q.id} value={q.id}>
              {q.name}
            </option>
          ))}
        </SelectField>
      ) : f.overflowType === 'extension' ? (
        <SelectField
          label="Overflow extension"
          value={f.overflowTarget}
          onChange={(e) => set({ overflowTarget: e.target.value })}
          error={errors['overflow.target']}
        >
          <option value="">Choose…</option>
          {extensions.map((x) => (
            <option key={x.number} value={x.number}>
              {x.number} · {x.owner}
            </option>
          ))}
        </SelectField>
      ) : (
        // Keeps the grid's columns aligned; a server error about a stray target still shows.
        <div>
          {errors['overflow.target'] ? <Alert tone="error">{errors['overflow.target']}</Alert> : null}
        </div>
      )}
    </>
  );
}

/** The caller's wait: limits, overflow, hold music, announcements, service level, callback caller ID. */
export function QueueWaitingFields(p: QueueFieldsProps & { queueId: number | undefined }) {
  const { f, set, errors } = p;
  const music = useHoldMusicChoices();
  return (
    <Group legend="Waiting">
      <SecondsField {...p} field="maxWaitS" label="Max wait (s)" hint="Then the caller overflows" />
      <SecondsField
        {...p}
        field="maxLength"
        label="Max length"
        hint="Callers waiting at most; 0 = unlimited"
      />
      <QueueOverflowFields {...p} />
      <SelectField
        label="Hold music"
        value={f.holdMusic}
        onChange={(e) => set({ holdMusic: e.target.value })}
        error={errors.holdMusic}
      >
        <option value="">Default (hold-music)</option>
        {(music.data ?? []).map((m) => (
          <option key={m} value={m}>
            {m}
          </option>
        ))}
      </SelectField>
      <SecondsField
        {...p}
        field="announceIntervalS"
        label="Announcement interval (s)"
        hint="Position and expected wait; 0 = off, else ≥ 15"
      />
      <SecondsField
        {...p}
        field="serviceLevelS"
        label="Service level (s)"
        hint="Answered within this counts as in service level"
      />
      <SecondsField
        {...p}
        field="serviceLevelTargetPercent"
        label="Service level target (%)"
        hint="The wallboard shows the queue green at or above this"
      />
      <TextField
        label="Caller ID for callbacks"
        value={f.callerId}
        onChange={(e) => set({ callerId: e.target.value })}
        hint="Shown to customers the dialer calls back for this queue; empty = the dialing policy's"
        error={errors.callerId}
      />
    </Group>
  );
}

/** Queued callback: waiting callers may press 1 to be called back without losing their place. */
export function QueueVirtualHoldFields({ f, set, errors }: QueueFieldsProps) {
  return (
    <Group legend="Queued callback (virtual hold)">
      <SelectField
        label="Offer callbacks"
        value={f.vhEnabled}
        onChange={(e) => set({ vhEnabled: e.target.value as QueueForm['vhEnabled'] })}
        hint="Waiting callers may press 1 to be called back without losing their place"
        error={errors['virtualHold.enabled'] ?? errors.virtualHold}
      >
        <option value="off">Off</option>
        <option value="on">On</option>
      </SelectField>
      <SelectField
        label="Connect first"
        value={f.vhMode}
        onChange={(e) => set({ vhMode: e.target.value as VirtualHoldMode })}
        error={errors['virtualHold.mode']}
      >
        <option value="customer_first">The customer (then the agent)</option>
        <option value="agent_first">The agent (then the customer)</option>
      </SelectField>
      <TextField
        label="Offer above expected wait (s)"
        type="number"
        min={0}
        value={f.vhThresholdS}
        onChange={(e) => set({ vhThresholdS: e.target.value })}
        hint="0 = offer to every waiting caller"
        error={errors['virtualHold.thresholdS']}
      />
      <TextField
        label="Dials per callback"
        type="number"
        min={1}
        value={f.vhMaxAttempts}
        onChange={(e) => set({ vhMaxAttempts: e.target.value })}
        hint="Then the placeholder is dropped"
        error={errors['virtualHold.maxAttempts']}
      />
      <TextField
        label="Between dials (s)"
        type="number"
        min={1}
        value={f.vhRetryDelayS}
        onChange={(e) => set({ vhRetryDelayS: e.target.value })}
        hint="A busy or unanswered customer is called again after this"
        error={errors['virtualHold.retryDelayS']}
      />
    </Group>
  );
}
