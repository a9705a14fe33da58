import { type VirtualHoldMode, virtualHoldDefaults } from '@switchboard/shared';
import { type FormEvent, type ReactNode, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { SelectField } from '../../../components/select-field';
import { TextField } from '../../../components/text-field';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { type AdminQueue, type OverflowType, useAdminQueues, useHoldMusicChoices } from '../api/get-queues';
import { useAdminUsers } from '../api/get-users';
import { type QueueBody, useSaveQueue } from '../api/save-queue';

const strategies = [
  ['longest-idle', 'Longest idle'],
  ['ring-all', 'Ring all'],
  ['round-robin', 'Round robin'],
  ['fewest-calls', 'Fewest calls'],
  ['random', 'Random'],
] as const;

type Form = {
  name: string;
  strategy: string;
  ringTimeoutS: string;
  retryDelayS: string;
  wrapupS: string;
  maxNoAnswer: string;
  maxWaitS: string;
  overflowType: OverflowType | '';
  overflowTarget: string;
  maxLength: string;
  holdMusic: string;
  announceIntervalS: string;
  serviceLevelS: string;
  serviceLevelTargetPercent: string;
  callerId: string;
  vhEnabled: 'on' | 'off';
  vhThresholdS: string;
  vhMode: VirtualHoldMode;
  vhMaxAttempts: string;
  vhRetryDelayS: string;
};

/** The defaults of a new queue are the server's (packages/shared queueInputSchema). */
function formOf(q: AdminQueue | null): Form {
  return {
    name: q?.name ?? '',
    strategy: q?.strategy ?? 'longest-idle',
    ringTimeoutS: String(q?.ringTimeoutS ?? 20),
    retryDelayS: String(q?.retryDelayS ?? 2),
    wrapupS: String(q?.wrapupS ?? 10),
    maxNoAnswer: String(q?.maxNoAnswer ?? 3),
    maxWaitS: String(q?.maxWaitS ?? 600),
    overflowType: q?.overflow.type ?? '',
    overflowTarget: q?.overflow.target ?? '',
    maxLength: String(q?.maxLength ?? 0),
    holdMusic: q?.holdMusic ?? '',
    announceIntervalS: String(q?.announceIntervalS ?? 60),
    serviceLevelS: String(q?.serviceLevelS ?? 20),
    serviceLevelTargetPercent: String(q?.serviceLevelTargetPercent ?? 80),
    callerId: q?.callerId ?? '',
    vhEnabled: q?.virtualHold.enabled ? 'on' : 'off',
    vhThresholdS: String(q?.virtualHold.thresholdS ?? virtualHoldDefaults.thresholdS),
    vhMode: q?.virtualHold.mode ?? virtualHoldDefaults.mode,
    vhMaxAttempts: String(q?.virtualHold.maxAttempts ?? virtualHoldDefaults.maxAttempts),
    vhRetryDelayS: String(q?.virtualHold.retryDelayS ?? virtualHoldDefaults.retryDelayS),
  };
}

/** An empty box is sent as null so the server names the field, rather than silently meaning 0. */
const num = (v: string) => (v.trim() === '' ? null : Number(v));

function Group({ legend, children }: { legend: string; children: ReactNode }) {
  return (
    <fieldset className="col-span-2 grid grid-cols-2 gap-4 rounded-md border border-slate-200 p-4">
      <legend className="px-1 text-sm font-semibold text-slate-700">{legend}</legend>
      {children}
    </fieldset>
  );
}

/** Create a queue (`queue` null) or edit every setting of one; the server's field errors show on the fields. */
export function QueueDialog({ queue, onClose }: { queue: AdminQueue | null; onClose: () => void }) {
  const save = useSaveQueue();
  const queues = useAdminQueues();
  const music = useHoldMusicChoices();
  const users = useAdminUsers();
  const [f, setF] = useState<Form>(() => formOf(queue));
  const errors = fieldErrorsOf(save.error);
  const set = (patch: Partial<Form>) => setF((prev) => ({ ...prev, ...patch }));
  const otherQueues = (queues.data ?? []).filter((q) => q.id !== queue?.id);
  const extensions = (users.data ?? []).flatMap((u) =>
    u.extension ? [{ number: u.extension.number, owner: u.displayName }] : [],
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const overflowType = f.overflowType || null;
    save.mutate(
      {
        ...(queue ? { id: queue.id } : {}),
        name: f.name,
        strategy: f.strategy as QueueBody['strategy'],
        ringTimeoutS: num(f.ringTimeoutS),
        retryDelayS: num(f.retryDelayS),
        wrapupS: num(f.wrapupS),
        maxNoAnswer: num(f.maxNoAnswer),
        maxWaitS: num(f.maxWaitS),
        overflow: {
          type: overflowType,
          target: overflowType === 'queue' || overflowType === 'extension' ? f.overflowTarget || null : null,
        },
        maxLength: num(f.maxLength),
        holdMusic: f.holdMusic || null,
        announceIntervalS: num(f.announceIntervalS),
        serviceLevelS: num(f.serviceLevelS),
        serviceLevelTargetPercent: num(f.serviceLevelTargetPercent),
        callerId: f.callerId.trim() || null,
        virtualHold: {
          enabled: f.vhEnabled === 'on',
          // Empty boxes go as null so the server names the field (see `num`).
          thresholdS: num(f.vhThresholdS) as number,
          mode: f.vhMode,
          maxAttempts: num(f.vhMaxAttempts) as number,
          retryDelayS: num(f.vhRetryDelayS) as number,
        },
      },
      { onSuccess: onClose },
    );
  };
  const seconds = (key: keyof Form, label: string, hint?: string) => (
    <TextField
      label={label}
      type="number"
      min={0}
      value={f[key]}
      onChange={(e) => set({ [key]: e.target.value })}
      hint={hint}
      error={errors[key]}
    />
  );
  return (
    <Dialog
      open
      size="lg"
      title={queue ? `Edit queue · ${queue.name}` : 'New queue'}
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="queue-form" disabled={save.isPending}>
            {queue ? 'Save' : 'Create queue'}
          </Button>
        </>
      }
    >
      <form id="queue-form" onSubmit={submit} className="grid grid-cols-2 gap-4">
        {save.isError && Object.keys(errors).length === 0 ? (
          <div className="col-span-2">
            <Alert tone="error">{errorMessage(save.error)}</Alert>
          </div>
        ) : null}
        <TextField
          label="Name"
          value={f.name}
          onChange={(e) => set({ name: e.target.value })}
          error={errors.name}
          className="col-span-2"
        />
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
          {seconds('ringTimeoutS', 'Ring timeout (s)', 'How long each agent rings')}
          {seconds('retryDelayS', 'Retry delay (s)', 'Pause before ringing again when nobody answered')}
          {seconds('wrapupS', 'Wrap-up (s)', 'After each call, before the next')}
          {seconds(
            'maxNoAnswer',
            'Max no-answer',
            'Missed offers in a row before the agent is paused; 0 = never',
          )}
        </Group>
        <Group legend="Waiting">
          {seconds('maxWaitS', 'Max wait (s)', 'Then the caller overflows')}
          {seconds('maxLength', 'Max length', 'Callers waiting at most; 0 = unlimited')}
          <SelectField
            label="Overflow"
            value={f.overflowType}
            onChange={(e) =>
              set({ overflowType: e.target.value as Form['overflowType'], overflowTarget: '' })
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
          {seconds(
            'announceIntervalS',
            'Announcement interval (s)',
            'Position and expected wait; 0 = off, else ≥ 15',
          )}
          {seconds('serviceLevelS', 'Service level (s)', 'Answered within this counts as in service level')}
          {seconds(
            'serviceLevelTargetPercent',
            'Service level target (%)',
            'The wallboard shows the queue green at or above this',
          )}
          <TextField
            label="Caller ID for callbacks"
            value={f.callerId}
            onChange={(e) => set({ callerId: e.target.value })}
            hint="Shown to customers the dialer calls back for this queue; empty = the dialing policy's"
            error={errors.callerId}
          />
        </Group>
        <Group legend="Queued callback (virtual hold)">
          <SelectField
            label="Offer callbacks"
            value={f.vhEnabled}
            onChange={(e) => set({ vhEnabled: e.target.value as Form['vhEnabled'] })}
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
      </form>
    </Dialog>
  );
}
