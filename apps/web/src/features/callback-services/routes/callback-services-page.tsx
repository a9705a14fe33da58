import type { CallbackService, CallbackServiceInput } from '@switchboard/shared';
import { type FormEvent, type ReactNode, useState } from 'react';
import { Link } from 'react-router';
import { Alert } from '../../../components/alert';
import { Badge } from '../../../components/badge';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { PageHeader } from '../../../components/page-header';
import { SelectField } from '../../../components/select-field';
import { SoundPicker } from '../../../components/sound-picker';
import { EmptyRow, Table, Td, Th } from '../../../components/table';
import { TextField } from '../../../components/text-field';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { browserTimeZone, formatDateTime, formatTime } from '../../../lib/format';
import { useCurrentUser } from '../../auth/api/get-me';
import { useDeleteCallbackService } from '../api/delete-callback-service';
import { useCallbackBreaker } from '../api/get-callback-breaker';
import { useCallbackRequests } from '../api/get-callback-requests';
import { useCallbackServices } from '../api/get-callback-services';
import { useTrunkChoices } from '../api/get-trunk-choices';
import { useSaveCallbackService } from '../api/save-callback-service';

const methodLabel: Record<CallbackService['method'], string> = {
  call_caller: "The caller's number",
  call_authorized: 'Authorized caller IDs only',
  call_number: 'A fixed number',
  call_extension: 'An extension',
};
const securityLabel: Record<CallbackService['security'], string> = {
  none: 'None',
  service_password: 'Service password',
  pin: "Subscriber's PIN (unless the caller ID is authorized)",
};

type Form = {
  name: string;
  enabled: boolean;
  accessNumber: string;
  trigger: CallbackService['trigger'];
  ringSeconds: string;
  triggerPrompt: string;
  delayS: string;
  method: CallbackService['method'];
  number: string;
  extension: string;
  trunkId: string;
  callerId: string;
  security: CallbackService['security'];
  servicePassword: string;
  subscriberId: string;
  announceBalance: boolean;
  creditQuery: boolean;
  firstDigitTimeoutS: string;
  interDigitTimeoutS: string;
  maxAttempts: string;
  disconnectSequence: string;
  zeroCreditPrompt: string;
  maxConcurrent: string;
  maxPerHour: string;
  subscriberMaxConcurrent: string;
  subscriberMaxPerHour: string;
  allowedCountries: string;
  blockedPrefixes: string;
};

function formOf(s: CallbackService | null): Form {
  const n = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));
  return {
    name: s?.name ?? '',
    enabled: s?.enabled ?? true,
    accessNumber: s?.accessNumber ?? '',
    trigger: s?.trigger ?? 'ring_then_busy',
    ringSeconds: n(s?.ringSeconds ?? 2),
    triggerPrompt: s?.triggerPrompt ?? '',
    delayS: n(s?.delayS ?? 3),
    method: s?.method ?? 'call_caller',
    number: s?.number ?? '',
    extension: s?.extension ?? '',
    trunkId: n(s?.trunkId),
    callerId: s?.callerId ?? '',
    security: s?.security ?? 'pin',
    servicePassword: '',
    subscriberId: n(s?.subscriberId),
    announceBalance: s?.announceBalance ?? true,
    creditQuery: s?.creditQuery ?? true,
    firstDigitTimeoutS: n(s?.firstDigitTimeoutS ?? 10),
    interDigitTimeoutS: n(s?.interDigitTimeoutS ?? 5),
    maxAttempts: n(s?.maxAttempts ?? 3),
    disconnectSequence: s?.disconnectSequence ?? '#11',
    zeroCreditPrompt: s?.zeroCreditPrompt ?? '',
    maxConcurrent: n(s?.maxConcurrent),
    maxPerHour: n(s?.maxPerHour),
    subscriberMaxConcurrent: n(s?.subscriberMaxConcurrent),
    subscriberMaxPerHour: n(s?.subscriberMaxPerHour),
    allowedCountries: (s?.allowedCountries ?? []).join(', '),
    blockedPrefixes: (s?.blockedPrefixes ?? []).join(', '),
  };
}

function bodyOf(f: Form, editing: boolean): Partial<CallbackServiceInput> {
  const num = (v: string) => (v.trim() === '' ? null : Number(v));
  const text = (v: string) => (v.trim() === '' ? null : v.trim());
  const list = (v: string) =>
    v
      .split(/[,\s]+/)
      .map((x) => x.trim())
      .filter(Boolean);
  return {
    name: f.name,
    enabled: f.enabled,
    accessNumber: text(f.accessNumber),
    trigger: f.trigger,
    ringSeconds: Number(f.ringSeconds),
    triggerPrompt: text(f.triggerPrompt),
    delayS: Number(f.delayS),
    method: f.method,
    number: f.method === 'call_number' ? text(f.number) : null,
    extension: f.method === 'call_extension' ? text(f.extension) : null,
    trunkId: num(f.trunkId),
    callerId: text(f.callerId),
    security: f.security,
    // Left empty on edit: keep the stored password.
    ...(f.servicePassword || !editing ? { servicePassword: text(f.servicePassword) } : {}),
    subscriberId: num(f.subscriberId),
    announceBalance: f.announceBalance,
    creditQuery: f.creditQuery,
    firstDigitTimeoutS: Number(f.firstDigitTimeoutS),
    interDigitTimeoutS: Number(f.interDigitTimeoutS),
    maxAttempts: Number(f.maxAttempts),
    disconnectSequence: f.disconnectSequence,
    zeroCreditPrompt: text(f.zeroCreditPrompt),
    maxConcurrent: num(f.maxConcurrent),
    maxPerHour: num(f.maxPerHour),
    subscriberMaxConcurrent: num(f.subscriberMaxConcurrent),
    subscriberMaxPerHour: num(f.subscriberMaxPerHour),
    allowedCountries: list(f.allowedCountries).map((c) => c.toUpperCase()),
    blockedPrefixes: list(f.blockedPrefixes),
  };
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="col-span-2 grid grid-cols-2 gap-4 border-t border-slate-200 pt-3">
      <legend className="col-span-2 pr-2 text-sm font-semibold text-slate-800">{title}</legend>
      {children}
    </fieldset>
  );
}

function Check({
  label,
  checked,
  onChange,
}: {
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
}) {
  return (
    <label className="flex items-center gap-2 text-sm text-slate-700">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      {label}
    </label>
  );
}

/** The service form's state and its submission; the dialog closes once the server accepts it. */
function useServiceForm(service: CallbackService | null, onClose: () => void) {
  const save = useSaveCallbackService();
  const [f, setF] = useState<Form>(() => formOf(service));
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setF((prev) => ({ ...prev, [k]: v }));
  const errors = fieldErrorsOf(save.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ ...(service ? { id: service.id } : {}), ...bodyOf(f, !!service) }, { onSuccess: onClose });
  };
  return { save, f, set, errors, submit };
}

function ServiceDialog({ service, onClose }: { service: CallbackService | null; onClose: () => void }) {
  const { save, f, set, errors, submit } = useServiceForm(service, onClose);
  const trunks = useTrunkChoices();
  const field = (
    k: keyof Form,
    label: string,
    extra: { hint?: string; placeholder?: string; type?: string; step?: string } = {},
  ) => (
    <TextField
      label={label}
      value={f[k] as string}
      onChange={(e) => set(k, e.target.value as never)}
      error={errors[k]}
      {...extra}
    />
  );
  // Timings take fractions of a second (to the millisecond).
  const seconds = { type: 'number', step: 'any' };
  const sound = (k: 'triggerPrompt' | 'zeroCreditPrompt', label: string, fallback: string) => (
    <div>
      <SoundPicker label={label} value={f[k] === '' ? null : f[k]} onChange={(v) => set(k, v ?? '')} />
      <p className="mt-1 text-sm text-slate-500">
        {errors[k] ? <span className="text-red-600">{errors[k]}</span> : `Default: ${fallback}`}
      </p>
    </div>
  );
  return (
    <Dialog
      open
      title={service ? `Edit callback service · ${service.name}` : 'New callback service'}
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="callback-service-form" disabled={save.isPending}>
            Save
          </Button>
        </>
      }
    >
      <form
        id="callback-service-form"
        onSubmit={submit}
        className="grid max-h-[70vh] grid-cols-2 gap-4 overflow-y-auto pr-1"
      >
        {save.isError && Object.keys(errors).length === 0 ? (
          <div className="col-span-2">
            <Alert tone="error">{errorMessage(save.error)}</Alert>
          </div>
        ) : null}
        {field('name', 'Name')}
        {field('accessNumber', 'Access number', { hint: 'Routed to this service', placeholder: '5550199' })}
        <div className="col-span-2">
          <Check label="Enabled" checked={f.enabled} onChange={(v) => set('enabled', v)} />
        </div>
        <Section title="Trigger and call back">
          <SelectField
            label="Trigger"
            value={f.trigger}
            onChange={(e) => set('trigger', e.target.value as Form['trigger'])}
          >
            <option value="ring_then_busy">Ring, then busy</option>
            <option value="answer_prompt">Answer, play a prompt, hang up</option>
          </SelectField>
          {f.trigger === 'ring_then_busy'
            ? field('ringSeconds', 'Ring for (s)', seconds)
            : sound('triggerPrompt', 'Prompt before hanging up', 'please-wait')}
          {field('delayS', 'Delay before calling back (s)', seconds)}
          <SelectField
            label="Call back"
            value={f.method}
            onChange={(e) => set('method', e.target.value as Form['method'])}
          >
            {Object.entries(methodLabel).map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </SelectField>
          {f.method === 'call_number'
            ? field('number', 'Number to call back', { placeholder: '+14155550132' })
            : null}
          {f.method === 'call_extension'
            ? field('extension', 'Extension to call back', { placeholder: '1004' })
            : null}
          <SelectField
            label="Trunk"
            value={f.trunkId}
            onChange={(e) => set('trunkId', e.target.value)}
            error={errors.trunkId}
          >
            <option value="">Any trunk that is up</option>
            {(trunks.data ?? []).map((t) => (
              <option key={t.id} value={String(t.id)}>
                {t.name}
              </option>
            ))}
          </SelectField>
          {field('callerId', 'Caller ID shown on the call back', { placeholder: "The trunk's" })}
        </Section>
        <Section title="Security and account">
          <SelectField
            label="Security"
            value={f.security}
            onChange={(e) => set('security', e.target.value as Form['security'])}
          >
            {Object.entries(securityLabel).map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </SelectField>
          {f.security === 'service_password'
            ? field('servicePassword', 'Service password (digits)', {
                type: 'password',
                hint: service?.hasServicePassword ? 'Set — leave empty to keep it' : undefined,
              })
            : null}
          {field('subscriberId', 'Subscriber charged (id)', {
            hint: 'When the caller ID is not authorized; empty: the caller types the account number',
          })}
          <div className="flex flex-col justify-end gap-2">
            <Check
              label="Play the balance on answer"
              checked={f.announceBalance}
              onChange={(v) => set('announceBalance', v)}
            />
            <Check
              label="Credit query (* at the destination prompt)"
              checked={f.creditQuery}
              onChange={(v) => set('creditQuery', v)}
            />
          </div>
        </Section>
        <Section title="Destination prompt">
          {field('firstDigitTimeoutS', 'First-digit timeout (s)', seconds)}
          {field('interDigitTimeoutS', 'Inter-digit timeout (s)', seconds)}
          {field('maxAttempts', 'Attempts (PIN and destination)', { type: 'number' })}
          {field('disconnectSequence', 'Disconnect sequence', {
            hint: 'Ends leg B and asks for a new destination',
          })}
          {sound('zeroCreditPrompt', 'Zero-credit sound', 'credit-exhausted')}
        </Section>
        <Section title="Toll-fraud limits">
          {field('maxConcurrent', 'Concurrent call backs (service)', { hint: 'Empty: no limit' })}
          {field('maxPerHour', 'Call backs per hour (service)')}
          {field('subscriberMaxConcurrent', 'Concurrent call backs (per subscriber)')}
          {field('subscriberMaxPerHour', 'Call backs per hour (per subscriber)')}
          {field('allowedCountries', 'Allowed destination countries', { placeholder: 'US, CA (empty: any)' })}
          {field('blockedPrefixes', 'Blocked prefixes', { hint: 'Premium-rate numbers are always refused' })}
        </Section>
      </form>
    </Dialog>
  );
}

const statusTone = {
  refused: 'red',
  scheduled: 'amber',
  calling: 'blue',
  done: 'green',
  failed: 'red',
} as const;

function Requests({ service }: { service: CallbackService }) {
  const requests = useCallbackRequests(service.id);
  const zone = useCurrentUser().data?.timeZone ?? browserTimeZone();
  const rows = requests.data ?? [];
  return (
    <div className="mt-6">
      <h2 className="mb-2 text-sm font-semibold text-slate-800">Latest requests · {service.name}</h2>
      <Table
        caption={`Latest requests of ${service.name}`}
        head={
          <>
            <Th>When</Th>
            <Th>From</Th>
            <Th>Source</Th>
            <Th>Status</Th>
            <Th>Reason</Th>
          </>
        }
      >
        {rows.length === 0 ? (
          <EmptyRow colSpan={5}>{requests.isPending ? 'Loading…' : 'No requests yet.'}</EmptyRow>
        ) : (
          rows.map((r) => (
            <tr key={r.id}>
              <Td>{formatDateTime(r.createdAt, zone)}</Td>
              <Td className="font-mono text-xs">{r.callerNumber ?? 'hidden'}</Td>
              <Td>{r.source === 'sms' ? 'SMS' : 'Call'}</Td>
              <Td>
                <Badge tone={statusTone[r.status]}>{r.status}</Badge>
              </Td>
              <Td>{r.reason?.replaceAll('_', ' ') ?? '—'}</Td>
            </tr>
          ))
        )}
      </Table>
    </div>
  );
}

/** The circuit breaker over all services, when it is open: new call backs are being refused. */
function BreakerAlert() {
  const breaker = useCallbackBreaker();
  const zone = useCurrentUser().data?.timeZone ?? browserTimeZone();
  const b = breaker.data;
  if (!b?.tripped) return null;
  const figure =
    b.reason === 'minutes'
      ? `${b.minutesLastHour} callback minutes in the last hour (cap ${b.maxMinutesPerHour})`
      : `${b.callsLastHour} call back${b.callsLastHour === 1 ? '' : 's'} in the last hour (cap ${b.maxCallsPerHour})`;
  return (
    <div className="mb-4" data-testid="callback-breaker-alert">
      <Alert tone="error">
        <strong>Circuit breaker tripped:</strong> {figure}. New call backs are refused until the hour's total
        falls below the cap
        {b.trippedAt ? ` (tripped ${formatTime(b.trippedAt, zone)})` : ''}. Change the caps in{' '}
        <Link className="underline" to="/admin/settings">
          Settings
        </Link>
        .
      </Alert>
    </div>
  );
}

/** Access-number callback services: trigger, call back, security, limits; and each one's latest requests. */
export function CallbackServicesPage() {
  const services = useCallbackServices();
  const del = useDeleteCallbackService();
  const [editing, setEditing] = useState<CallbackService | 'new' | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const rows = services.data ?? [];
  const shown = rows.find((s) => s.id === selected) ?? rows[0] ?? null;
  return (
    <div>
      <PageHeader
        title="Callback services"
        description="A call to the access number is turned away (never charged) and called back; the caller then dials out through the provider."
        actions={<Button onClick={() => setEditing('new')}>New callback service</Button>}
      />
      <BreakerAlert />
      {services.isError ? <Alert tone="error">{errorMessage(services.error)}</Alert> : null}
      {del.isError ? <Alert tone="error">{errorMessage(del.error)}</Alert> : null}
      <Table
        caption="Callback services"
        head={
          <>
            <Th>Name</Th>
            <Th>Access number</Th>
            <Th>Trigger</Th>
            <Th>Call back</Th>
            <Th>Security</Th>
            <Th>Limits</Th>
            <Th>Status</Th>
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          </>
        }
      >
        {services.isPending ? (
          <EmptyRow colSpan={8}>Loading…</EmptyRow>
        ) : rows.length === 0 ? (
          <EmptyRow colSpan={8}>No callback services.</EmptyRow>
        ) : (
          rows.map((s) => (
            <tr key={s.id} className={shown?.id === s.id ? 'bg-slate-50' : undefined}>
              <Td className="font-medium text-slate-900">
                <button
                  type="button"
                  className="underline-offset-2 hover:underline"
                  onClick={() => setSelected(s.id)}
                >
                  {s.name}
                </button>
              </Td>
              <Td className="font-mono text-xs">{s.accessNumber ?? '—'}</Td>
              <Td>
                {s.trigger === 'ring_then_busy' ? `Ring ${s.ringSeconds} s, busy` : 'Answer, prompt'} · after{' '}
                {s.delayS} s
              </Td>
              <Td>
                {methodLabel[s.method]}
                {s.method === 'call_number'
                  ? ` ${s.number}`
                  : s.method === 'call_extension'
                    ? ` ${s.extension}`
                    : ''}
              </Td>
              <Td>
                {s.security === 'pin' ? 'PIN' : s.security === 'service_password' ? 'Password' : 'None'}
              </Td>
              <Td className="text-xs">
                {[
                  s.maxConcurrent !== null ? `${s.maxConcurrent} at once` : null,
                  s.maxPerHour !== null ? `${s.maxPerHour}/h` : null,
                  s.allowedCountries.length ? s.allowedCountries.join(' ') : null,
                ]
                  .filter(Boolean)
                  .join(' · ') || 'None'}
              </Td>
              <Td>{s.enabled ? <Badge tone="green">Enabled</Badge> : <Badge>Disabled</Badge>}</Td>
              <Td className="whitespace-nowrap text-right">
                <Button variant="ghost" onClick={() => setEditing(s)}>
                  Edit
                </Button>
                <Button variant="ghost" onClick={() => del.mutate(s.id)}>
                  Delete
                </Button>
              </Td>
            </tr>
          ))
        )}
      </Table>
      {shown ? <Requests service={shown} /> : null}
      {editing ? (
        <ServiceDialog service={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      ) : null}
    </div>
  );
}
