import {
  type AgentSignIn,
  type CallbackBreakerSettings,
  maskNumber,
  type NumberMasking,
  type RatingSettings,
} from '@switchboard/shared';
import { type FormEvent, useEffect, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { Card } from '../../../components/card';
import { PageHeader } from '../../../components/page-header';
import { SelectField } from '../../../components/select-field';
import { TextField } from '../../../components/text-field';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { usePauseReasons } from '../api/get-pause-reasons';
import { useSettings } from '../api/get-settings';
import { useUpdateSettings } from '../api/update-settings';

const SAMPLE = '+15963460240';

export function SettingsPage() {
  const settings = useSettings();
  const save = useUpdateSettings();
  const [m, setM] = useState<NumberMasking | null>(null);
  useEffect(() => {
    if (settings.data && !m) setM(settings.data.numberMasking);
  }, [settings.data, m]);
  const errors = fieldErrorsOf(save.error);
  if (settings.isError) return <Alert tone="error">{errorMessage(settings.error)}</Alert>;
  if (!m) return <p className="text-sm text-slate-500">Loading…</p>;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ numberMasking: m });
  };
  const num = (k: 'keepFirst' | 'keepLast') => (e: { target: { value: string } }) =>
    setM({ ...m, [k]: e.target.value === '' ? 0 : Number(e.target.value) });
  return (
    <div className="max-w-2xl">
      <PageHeader title="Settings" />
      <Card title="Number masking">
        <form onSubmit={submit} className="space-y-4" aria-label="Number masking">
          <p className="text-sm text-slate-600">
            Hide customer numbers from agents on every page, export and notification. Call-back and dialing
            keep working, by reference.
          </p>
          <SelectField
            label="Mode"
            value={m.mode}
            onChange={(e) => setM({ ...m, mode: e.target.value as NumberMasking['mode'] })}
            error={errors['numberMasking.mode']}
          >
            <option value="off">Off — show numbers</option>
            <option value="all">Hide all digits (********)</option>
            <option value="partial">Keep the first and last digits (59****40)</option>
          </SelectField>
          {m.mode === 'partial' ? (
            <div className="grid grid-cols-2 gap-4">
              <TextField
                label="Keep first digits"
                type="number"
                min={0}
                max={8}
                value={m.keepFirst}
                onChange={num('keepFirst')}
                error={errors['numberMasking.keepFirst']}
              />
              <TextField
                label="Keep last digits"
                type="number"
                min={0}
                max={8}
                value={m.keepLast}
                onChange={num('keepLast')}
                error={errors['numberMasking.keepLast']}
              />
            </div>
          ) : null}
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input
              type="checkbox"
              checked={m.exemptSupervisors}
              onChange={(e) => setM({ ...m, exemptSupervisors: e.target.checked })}
            />
            Supervisors and administrators see whole numbers
          </label>
          <p className="text-sm text-slate-600">
            An agent sees{' '}
            <span className="font-mono font-medium text-slate-900" data-testid="masking-preview">
              {maskNumber(SAMPLE, m)}
            </span>{' '}
            for <span className="font-mono">{SAMPLE}</span>.
          </p>
          {save.isError && Object.keys(errors).length === 0 ? (
            <Alert tone="error">{errorMessage(save.error)}</Alert>
          ) : null}
          {save.isSuccess ? (
            <Alert tone="success">Saved. It applies to the next page load or export.</Alert>
          ) : null}
          <div className="flex justify-end">
            <Button type="submit" disabled={save.isPending}>
              Save
            </Button>
          </div>
        </form>
      </Card>
      <div className="mt-4">
        <AgentSignInCard />
      </div>
      <div className="mt-4">
        <PrepaidCallsCard />
      </div>
      <div className="mt-4">
        <CallbackBreakerCard />
      </div>
    </div>
  );
}

/** The circuit breaker over all callback services: caps per hour, empty for none. */
function CallbackBreakerCard() {
  const settings = useSettings();
  const save = useUpdateSettings();
  const [b, setB] = useState<{ minutes: string; calls: string } | null>(null);
  useEffect(() => {
    const caps = settings.data?.callbackBreaker;
    if (caps && !b)
      setB({ minutes: String(caps.maxMinutesPerHour ?? ''), calls: String(caps.maxCallsPerHour ?? '') });
  }, [settings.data, b]);
  const errors = fieldErrorsOf(save.error);
  if (!b) return null;
  const cap = (v: string) => (v.trim() === '' ? null : Number(v));
  const caps: CallbackBreakerSettings = { maxMinutesPerHour: cap(b.minutes), maxCallsPerHour: cap(b.calls) };
  return (
    <Card title="Callback circuit breaker">
      <form
        className="space-y-4"
        aria-label="Callback circuit breaker"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ callbackBreaker: caps });
        }}
      >
        <p className="text-sm text-slate-600">
          Over all callback services: once the last hour reaches a cap, new call backs are refused and
          administrators are alerted, until the hour's total falls below it again. Minutes count both legs of
          each call back.
        </p>
        <div className="grid grid-cols-2 gap-4">
          <TextField
            label="Callback minutes per hour"
            hint="Empty: no cap"
            type="number"
            min={1}
            value={b.minutes}
            onChange={(e) => setB({ ...b, minutes: e.target.value })}
            error={errors['callbackBreaker.maxMinutesPerHour']}
          />
          <TextField
            label="Call backs per hour"
            hint="Empty: no cap"
            type="number"
            min={1}
            value={b.calls}
            onChange={(e) => setB({ ...b, calls: e.target.value })}
            error={errors['callbackBreaker.maxCallsPerHour']}
          />
        </div>
        {save.isSuccess ? <Alert tone="success">Circuit breaker caps saved.</Alert> : null}
        <div className="flex justify-end">
          <Button type="submit" disabled={save.isPending}>
            Save circuit breaker
          </Button>
        </div>
      </form>
    </Card>
  );
}

/** Prepaid calls: the warning before a call's paid time runs out, and a cap on any call. */
function PrepaidCallsCard() {
  const settings = useSettings();
  const save = useUpdateSettings();
  const [r, setR] = useState<RatingSettings | null>(null);
  useEffect(() => {
    if (settings.data?.rating && !r) setR(settings.data.rating);
  }, [settings.data, r]);
  const errors = fieldErrorsOf(save.error);
  if (!r) return null;
  const num = (k: keyof RatingSettings) => (e: { target: { value: string } }) =>
    setR({ ...r, [k]: e.target.value === '' ? 0 : Number(e.target.value) });
  return (
    <Card title="Prepaid calls">
      <form
        className="space-y-4"
        aria-label="Prepaid calls"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ rating: r });
        }}
      >
        <div className="grid grid-cols-2 gap-4">
          <TextField
            label="Warning before the cut (s)"
            hint="0: no warning prompt"
            type="number"
            min={0}
            max={600}
            value={r.warnBeforeEndS}
            onChange={num('warnBeforeEndS')}
            error={errors['rating.warnBeforeEndS']}
          />
          <TextField
            label="Longest call (s)"
            hint="Even with a large balance or a free destination"
            type="number"
            min={60}
            max={86400}
            value={r.maxCallDurationS}
            onChange={num('maxCallDurationS')}
            error={errors['rating.maxCallDurationS']}
          />
        </div>
        {save.isSuccess ? <Alert tone="success">Prepaid settings applied: new calls use them.</Alert> : null}
        <div className="flex justify-end">
          <Button type="submit" disabled={save.isPending}>
            Apply prepaid settings
          </Button>
        </div>
      </form>
    </Card>
  );
}

const signInValue = (s: AgentSignIn) => (s.status === 'paused' ? `paused:${s.reason}` : s.status);

/** The state an Offline agent starts in when they sign in (their phone registers). */
function AgentSignInCard() {
  const settings = useSettings();
  const reasons = usePauseReasons();
  const save = useUpdateSettings();
  const [value, setValue] = useState<string | null>(null);
  useEffect(() => {
    if (settings.data?.agentSignIn && value === null) setValue(signInValue(settings.data.agentSignIn));
  }, [settings.data, value]);
  const errors = fieldErrorsOf(save.error);
  if (value === null) return null;
  // The switch's own reason (too many missed offers) is not one to start a shift in.
  const pauseNames = (reasons.data ?? [])
    .filter((r) => r.active && r.name.toLowerCase() !== 'missed')
    .map((r) => r.name);
  const current = settings.data?.agentSignIn;
  if (current?.status === 'paused' && current.reason && !pauseNames.includes(current.reason))
    pauseNames.push(current.reason);
  const chosen = (): AgentSignIn =>
    value.startsWith('paused:')
      ? { status: 'paused', reason: value.slice('paused:'.length) }
      : { status: value as 'logged_out' | 'idle', reason: null };
  return (
    <Card title="Agent sign-in">
      <form
        className="space-y-4"
        aria-label="Agent sign-in"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ agentSignIn: chosen() });
        }}
      >
        <p className="text-sm text-slate-600">
          The state an agent starts in when they sign in to the desk or their desk phone registers. Signing
          out or closing the last desk tab makes them Offline.
        </p>
        <SelectField
          label="State at sign-in"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          error={errors['agentSignIn.reason'] ?? errors['agentSignIn.status']}
        >
          <option value="logged_out">Offline — they press Go idle to take calls</option>
          <option value="idle">Idle — calls are offered at once</option>
          {pauseNames.map((r) => (
            <option key={r} value={`paused:${r}`}>
              Paused: {r}
            </option>
          ))}
        </SelectField>
        {save.isSuccess ? (
          <Alert tone="success">Sign-in state saved: it applies at the next sign-in.</Alert>
        ) : null}
        <div className="flex justify-end">
          <Button type="submit" disabled={save.isPending}>
            Save sign-in state
          </Button>
        </div>
      </form>
    </Card>
  );
}
